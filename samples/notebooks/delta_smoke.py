"""Delta Lake smoke test for a kubemesh Spark notebook (the same steps as delta-smoke.ipynb).

Runs in the notebook pod, where kubemesh mounted spark-defaults.conf (SPARK_CONF_DIR): the master, the
executors, S3A and Delta are configured there, and object store credentials arrive as environment variables
from Secrets. Nothing here names an endpoint or a key.

    python3 ~/samples/delta_smoke.py            # bucket from $KUBEMESH_BUCKET
    python3 ~/samples/delta_smoke.py my-bucket

Steps: the sum of an RDD; a small generated ratings data set written as CSV and read back; a Delta write to
s3a://<bucket>/delta-test/; read back; count; a SQL query. Exits non-zero when a result is wrong.
"""
import os
import sys

from pyspark.sql import SparkSession

USERS = 50
MOVIES = 20


def rating(user, movie):
    # Deterministic, so every run can check its results: each rating 1..5 occurs equally often.
    return (user * 7 + movie * 3) % 5 + 1


def main():
    bucket = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("KUBEMESH_BUCKET", "")
    if not bucket:
        sys.exit("no bucket: pass one or set KUBEMESH_BUCKET")
    spark = SparkSession.builder.appName("kubemesh-delta-smoke").getOrCreate()
    sc = spark.sparkContext

    # 1. The executors run Python: sum of an RDD.
    total = sc.parallelize(range(1, 101), 4).sum()
    print("rdd sum:", total)
    assert total == 5050, total

    # 2. A small ratings data set (no download): generate, write as CSV to the bucket, read it back as CSV.
    rows = [(u, m, rating(u, m), 1700000000 + u * 100 + m) for u in range(1, USERS + 1) for m in range(1, MOVIES + 1)]
    csv_path = f"s3a://{bucket}/delta-test-input/ratings-csv"
    spark.createDataFrame(rows, "userId INT, movieId INT, rating INT, timestamp LONG") \
        .write.mode("overwrite").option("header", True).csv(csv_path)
    ratings = spark.read.option("header", True).option("inferSchema", True).csv(csv_path)
    print("csv rows:", ratings.count())
    assert ratings.count() == USERS * MOVIES

    # 3. Delta write to s3a://<bucket>/delta-test/, then read back and count.
    delta_path = f"s3a://{bucket}/delta-test/"
    ratings.write.format("delta").mode("overwrite").save(delta_path)
    back = spark.read.format("delta").load(delta_path)
    count = back.count()
    print("delta rows:", count)
    assert count == USERS * MOVIES, count

    # 4. SQL over the Delta table.
    back.createOrReplaceTempView("ratings")
    by_rating = spark.sql("SELECT rating, count(*) AS n FROM ratings GROUP BY rating ORDER BY rating").collect()
    print("by rating:", [(r.rating, r.n) for r in by_rating])
    assert [(r.rating, r.n) for r in by_rating] == [(k, USERS * MOVIES // 5) for k in range(1, 6)]
    top = spark.sql(f"SELECT count(*) AS n FROM delta.`{delta_path}` WHERE rating >= 4").collect()[0].n
    print("ratings >= 4:", top)
    assert top == 2 * USERS * MOVIES // 5

    print("delta smoke test passed")
    spark.stop()


if __name__ == "__main__":
    main()
