package io.kubemesh.minio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The setup script and IAM policies for one MinIO, rendered in one place.
 *
 * <p>The setup Job mounts {@link #files()} from a ConfigMap and runs {@value #SCRIPT}; the real-engine tests run
 * the same files against a real server. The script takes everything that differs between a pod and a test from
 * its environment (see the script's header), creates the buckets, one user per consuming domain and a policy per
 * user, and attaches the policies. Running it again changes nothing: buckets are created only when missing, users
 * and policies are set to the same values, and an existing attachment counts as success.
 */
final class MinioSetup {
  static final String SCRIPT = "setup.sh";
  static final String ALIAS = "kubemesh";

  /** Bucket-level actions of a reader: list and locate. */
  static final List<String> READ_BUCKET_ACTIONS = List.of("s3:GetBucketLocation", "s3:ListBucket");
  /** Object-level actions of a reader. */
  static final List<String> READ_OBJECT_ACTIONS = List.of("s3:GetObject");
  /** Bucket-level actions of a writer; multipart listing is what S3A and other clients need for large files. */
  static final List<String> WRITE_BUCKET_ACTIONS =
      List.of("s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads");
  /** Object-level actions of a writer. */
  static final List<String> WRITE_OBJECT_ACTIONS = List.of("s3:AbortMultipartUpload", "s3:DeleteObject",
      "s3:GetObject", "s3:ListMultipartUploadParts", "s3:PutObject");

  /**
   * One MinIO user: a consuming domain.
   *
   * @param accessKey the user name, also the file name of its secret key
   * @param policy the name of its policy
   * @param readWrite buckets it may read and write
   * @param readOnly buckets it may only read
   */
  record User(String accessKey, String policy, List<String> readWrite, List<String> readOnly) {
    User {
      readWrite = List.copyOf(readWrite);
      readOnly = List.copyOf(readOnly);
    }
  }

  private final String domain;
  private final List<String> buckets;
  private final List<User> users;

  MinioSetup(String domain, List<String> buckets, List<User> users) {
    this.domain = domain;
    this.buckets = List.copyOf(buckets);
    this.users = List.copyOf(users);
  }

  List<User> users() {
    return users;
  }

  List<String> buckets() {
    return buckets;
  }

  /** The ConfigMap's data: the script and one {@code <policy>.json} per user. */
  Map<String, String> files() {
    Map<String, String> files = new TreeMap<>();
    files.put(SCRIPT, script());
    for (User u : users) {
      files.put(u.policy() + ".json", policyJson(u));
    }
    return files;
  }

  String script() {
    StringBuilder sb = new StringBuilder();
    sb.append("#!/bin/sh\n")
        .append("# kubemesh: sets up the MinIO of domain '").append(domain)
        .append("': its buckets, one user per consuming domain and each user's policy.\n")
        .append("# Rendered by kubemesh-minio (MinioSetup); the setup Job runs it, and so do the real-engine tests.\n")
        .append("# Safe to run again: buckets are created only when missing, users and policies are set to the\n")
        .append("# same values, and an existing policy attachment counts as success.\n")
        .append("#\n")
        .append("# Environment:\n")
        .append("#   MINIO_URL               the server's S3 endpoint, for example http://minio.")
        .append(domain).append(".svc.cluster.local:9000\n")
        .append("#   MINIO_ROOT_USER         the root user and password (Secret minio-root)\n")
        .append("#   MINIO_ROOT_PASSWORD\n")
        .append("#   KUBEMESH_SETUP_DIR      the folder of this script and the policy files (ConfigMap minio-setup)\n")
        .append("#   KUBEMESH_USER_KEYS_DIR  one file per user, named by its access key, holding its secret key\n")
        .append("#                           (Secret minio-users)\n")
        .append("#   MC_CONFIG_DIR           a writable folder for mc's configuration\n")
        .append("set -eu\n")
        .append(": \"${MINIO_URL:?must be set}\" \"${MINIO_ROOT_USER:?must be set}\" ")
        .append("\"${MINIO_ROOT_PASSWORD:?must be set}\"\n")
        .append(": \"${KUBEMESH_SETUP_DIR:?must be set}\" \"${KUBEMESH_USER_KEYS_DIR:?must be set}\" ")
        .append("\"${MC_CONFIG_DIR:?must be set}\"\n")
        .append("export MC_CONFIG_DIR\n")
        .append("\n")
        .append("# mc reads the alias from MC_HOST_<alias>, which keeps the root password out of every command line.\n")
        .append("MC_HOST_").append(ALIAS).append("=\"${MINIO_URL%%://*}://${MINIO_ROOT_USER}:${MINIO_ROOT_PASSWORD}@")
        .append("${MINIO_URL#*://}\"\n")
        .append("export MC_HOST_").append(ALIAS).append("\n")
        .append("\n")
        .append("bucket() {\n")
        .append("  mc --quiet mb --ignore-existing \"").append(ALIAS).append("/$1\"\n")
        .append("}\n")
        .append("\n")
        .append("# user ACCESS_KEY POLICY: the secret key is read from a file, never passed as an argument.\n")
        .append("user() {\n")
        .append("  key_file=\"$KUBEMESH_USER_KEYS_DIR/$1\"\n")
        .append("  if [ ! -r \"$key_file\" ]; then echo \"setup.sh: no secret key for user $1 in $key_file\" >&2; ")
        .append("exit 1; fi\n")
        .append("  printf '%s\\n%s\\n' \"$1\" \"$(cat \"$key_file\")\" | mc --quiet admin user add ").append(ALIAS)
        .append(" >/dev/null\n")
        .append("  mc --quiet admin policy create ").append(ALIAS)
        .append(" \"$2\" \"$KUBEMESH_SETUP_DIR/$2.json\" >/dev/null\n")
        .append("  mc --quiet admin policy attach ").append(ALIAS).append(" \"$2\" --user \"$1\" >/dev/null\n")
        .append("  echo \"user $1: policy $2\"\n")
        .append("}\n")
        .append("\n")
        .append("echo \"waiting for MinIO at $MINIO_URL\"\n")
        .append("mc --quiet ready ").append(ALIAS).append("\n")
        .append("\n");
    for (String bucket : buckets) {
      sb.append("bucket ").append(bucket).append('\n');
    }
    for (User u : users) {
      sb.append("user ").append(u.accessKey()).append(' ').append(u.policy()).append('\n');
    }
    sb.append("echo \"MinIO setup of domain ").append(domain).append(" done: ").append(buckets.size())
        .append(" bucket(s), ").append(users.size()).append(" user(s)\"\n");
    return sb.toString();
  }

  /** An AWS IAM policy: read-write on the user's own buckets, read-only on the ones it was granted. */
  static String policyJson(User user) {
    Map<String, Statement> statements = new LinkedHashMap<>();
    if (!user.readWrite().isEmpty()) {
      statements.put("ReadWriteBuckets", new Statement(WRITE_BUCKET_ACTIONS, arns(user.readWrite(), "")));
      statements.put("ReadWriteObjects", new Statement(WRITE_OBJECT_ACTIONS, arns(user.readWrite(), "/*")));
    }
    if (!user.readOnly().isEmpty()) {
      statements.put("ReadOnlyBuckets", new Statement(READ_BUCKET_ACTIONS, arns(user.readOnly(), "")));
      statements.put("ReadOnlyObjects", new Statement(READ_OBJECT_ACTIONS, arns(user.readOnly(), "/*")));
    }
    List<String> rendered = new ArrayList<>();
    statements.forEach((sid, s) -> rendered.add("    {\n"
        + "      \"Sid\": \"" + sid + "\",\n"
        + "      \"Effect\": \"Allow\",\n"
        + "      \"Action\": " + jsonArray(s.actions()) + ",\n"
        + "      \"Resource\": " + jsonArray(s.resources()) + "\n"
        + "    }"));
    return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" + String.join(",\n", rendered) + "\n  ]\n}\n";
  }

  private record Statement(List<String> actions, List<String> resources) {}

  private static List<String> arns(List<String> buckets, String suffix) {
    return buckets.stream().map(b -> "arn:aws:s3:::" + b + suffix).toList();
  }

  // Values are bucket names and fixed action names: no character needs JSON escaping.
  private static String jsonArray(List<String> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", ", "[", "]"));
  }
}
