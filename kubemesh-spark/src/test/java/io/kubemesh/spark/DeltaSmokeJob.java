package io.kubemesh.spark;

import java.io.FileReader;
import java.io.FileWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The sample workload's steps (samples/notebooks/delta_smoke.py) in Java, run in its own JVM so that credentials
 * reach it the way they reach the notebook pod: as environment variables.
 *
 * <p>Arguments: the Spark conf (a properties file), the bucket, a data product object to read
 * ({@code s3a://bucket/key}), and the file to write results to.
 */
public final class DeltaSmokeJob {
  static final int USERS = 50;
  static final int MOVIES = 20;

  private DeltaSmokeJob() {}

  static int rating(int user, int movie) {
    return (user * 7 + movie * 3) % 5 + 1;
  }

  public static void main(String[] args) throws IOException {
    Properties conf = new Properties();
    try (Reader r = new FileReader(args[0])) {
      conf.load(r);
    }
    String bucket = args[1];
    String dataProduct = args[2];
    Properties out = new Properties();
    SparkSession.Builder builder = SparkSession.builder().appName("kubemesh-delta-smoke");
    conf.stringPropertyNames().forEach(k -> builder.config(k, conf.getProperty(k)));
    SparkSession spark = builder.getOrCreate();
    try {
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      // 1. sum of an RDD
      int sum = sc.parallelize(IntStream.rangeClosed(1, 100).boxed().toList(), 4).reduce(Integer::sum);
      out.setProperty("sum", String.valueOf(sum));

      // 2. generated ratings, written as CSV to the bucket, read back as CSV
      List<Row> rows = new ArrayList<>();
      for (int u = 1; u <= USERS; u++) {
        for (int m = 1; m <= MOVIES; m++) {
          rows.add(RowFactory.create(u, m, rating(u, m), 1_700_000_000L + u * 100L + m));
        }
      }
      StructType schema = new StructType().add("userId", DataTypes.IntegerType).add("movieId", DataTypes.IntegerType)
          .add("rating", DataTypes.IntegerType).add("timestamp", DataTypes.LongType);
      String csvPath = "s3a://" + bucket + "/delta-test-input/ratings-csv";
      spark.createDataFrame(rows, schema).write().mode("overwrite").option("header", true).csv(csvPath);
      Dataset<Row> ratings = spark.read().option("header", true).option("inferSchema", true).csv(csvPath);
      out.setProperty("csvRows", String.valueOf(ratings.count()));

      // 3. Delta write, read back, count
      String deltaPath = "s3a://" + bucket + "/delta-test/";
      ratings.write().format("delta").mode("overwrite").save(deltaPath);
      Dataset<Row> back = spark.read().format("delta").load(deltaPath);
      out.setProperty("deltaRows", String.valueOf(back.count()));
      FileSystem fs = FileSystem.get(URI.create(deltaPath), spark.sparkContext().hadoopConfiguration());
      List<String> log = new ArrayList<>();
      for (FileStatus f : fs.listStatus(new Path(deltaPath + "_delta_log"))) {
        log.add(f.getPath().getName());
      }
      out.setProperty("deltaLog", log.stream().sorted().collect(Collectors.joining(",")));

      // 4. SQL
      back.createOrReplaceTempView("ratings");
      out.setProperty("byRating", spark.sql("SELECT rating, count(*) AS n FROM ratings GROUP BY rating ORDER BY rating")
          .collectAsList().stream().map(r -> r.get(0) + "=" + r.get(1)).collect(Collectors.joining(",")));
      out.setProperty("highRatings", String.valueOf(spark.sql("SELECT count(*) AS n FROM delta.`" + deltaPath
          + "` WHERE rating >= 4").collectAsList().get(0).getLong(0)));
      out.setProperty("warehouse", spark.conf().get("spark.sql.warehouse.dir"));

      // 5. a data product in another bucket, with its own credentials (per-bucket S3A settings)
      out.setProperty("dataProductRows", String.valueOf(spark.read().option("header", true).csv(dataProduct).count()));
      // the bucket's own (read-only) credentials are in use, not the home store's: a write is refused
      Path probe = new Path(dataProduct.substring(0, dataProduct.lastIndexOf('/')) + "/kubemesh-write-probe");
      try (var stream = FileSystem.get(probe.toUri(), spark.sparkContext().hadoopConfiguration()).create(probe)) {
        stream.write(1);
        out.setProperty("dataProductWrite", "allowed");
      } catch (java.nio.file.AccessDeniedException expected) {
        out.setProperty("dataProductWrite", "denied");
      }
    } finally {
      spark.stop();
    }
    try (Writer w = new FileWriter(args[3])) {
      out.store(w, "delta smoke results");
    }
  }
}
