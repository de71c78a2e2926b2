package io.kubemesh.core.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.regex.Pattern;

/**
 * The naming and value rules Kubernetes and S3 enforce, checked before anything reaches a cluster.
 *
 * <p>Each check records a violation in {@link Problems} with the field, the value and the rule's wording, and
 * returns whether the value passed.
 *
 * <pre>{@code
 * Problems p = new Problems();
 * Rules.bucketName(p, "minio.buckets[0]", "Orders");   // fails: upper case
 * }</pre>
 */
public final class Rules {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  // Kubernetes' own quantity grammar: signed decimal number, then a binary, decimal or exponent suffix.
  private static final Pattern QUANTITY =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\\d+)?");
  // Spark's JVM size strings: a whole number with an optional b/k/m/g/t/p suffix (JavaUtils.byteStringAs).
  private static final Pattern SPARK_SIZE = Pattern.compile("\\d+([kmgtp]b?|b)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  public static final String DNS_LABEL_RULE =
      "must be a DNS-1123 label: at most 63 characters, lowercase letters, digits and '-', "
          + "starting and ending with a letter or digit";
  public static final String DNS_SUBDOMAIN_RULE =
      "must be a DNS-1123 subdomain: at most 253 characters, lowercase letters, digits, '-' and '.', "
          + "each part starting and ending with a letter or digit";
  public static final String BUCKET_RULE =
      "must follow the S3 bucket naming rules: 3 to 63 characters, lowercase letters, digits, '.' and '-', "
          + "starting and ending with a letter or digit, no '..', not an IP address, "
          + "no 'xn--' or 'sthree-' prefix and no '-s3alias' or '--ol-s3' suffix";
  public static final String QUANTITY_RULE =
      "must be a Kubernetes quantity such as 500m, 2, 512Mi or 10Gi";
  public static final String SPARK_SIZE_RULE =
      "must be a Spark size: a whole number with an optional unit k, m, g, t or p (for example 512m or 4g)";
  public static final String PORT_RULE = "must be a port number from 1 to 65535";

  private Rules() {}

  /** A DNS-1123 label of at most {@code maxLength} characters (63 for most names). */
  public static boolean dnsLabel(Problems p, String field, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      p.add(field, value, "is required; it " + DNS_LABEL_RULE.substring(5));
      return false;
    }
    if (value.length() > maxLength) {
      p.add(field, value, "is " + value.length() + " characters long; at most " + maxLength + " are allowed here ("
          + DNS_LABEL_RULE + ")");
      return false;
    }
    return p.checkMatches(DNS_LABEL, field, value, DNS_LABEL_RULE);
  }

  public static boolean dnsLabel(Problems p, String field, String value) {
    return dnsLabel(p, field, value, 63);
  }

  public static boolean dnsSubdomain(Problems p, String field, String value) {
    if (value == null || value.isEmpty() || value.length() > 253) {
      p.add(field, value, DNS_SUBDOMAIN_RULE);
      return false;
    }
    return p.checkMatches(DNS_SUBDOMAIN, field, value, DNS_SUBDOMAIN_RULE);
  }

  /** Whether {@code value} is a valid S3 bucket name; see {@link #BUCKET_RULE}. */
  public static boolean isBucketName(String value) {
    return value != null
        && BUCKET.matcher(value).matches()
        && !value.contains("..")
        && !value.contains(".-")
        && !value.contains("-.")
        && !IPV4.matcher(value).matches()
        && !value.startsWith("xn--")
        && !value.startsWith("sthree-")
        && !value.endsWith("-s3alias")
        && !value.endsWith("--ol-s3");
  }

  public static boolean bucketName(Problems p, String field, String value) {
    boolean ok = isBucketName(value);
    p.check(ok, field, value, BUCKET_RULE);
    return ok;
  }

  public static boolean quantity(Problems p, String field, String value) {
    boolean ok = value != null && QUANTITY.matcher(value).matches();
    p.check(ok, field, value, QUANTITY_RULE);
    return ok;
  }

  /** A quantity strictly greater than zero. */
  public static boolean positiveQuantity(Problems p, String field, String value) {
    if (!quantity(p, field, value)) {
      return false;
    }
    boolean ok = Quantity.getAmountInBytes(new Quantity(value)).signum() > 0;
    p.check(ok, field, value, "must be greater than zero");
    return ok;
  }

  public static boolean sparkSize(Problems p, String field, String value) {
    boolean ok = value != null && SPARK_SIZE.matcher(value).matches() && !value.matches("0+[a-zA-Z]*");
    p.check(ok, field, value, SPARK_SIZE_RULE);
    return ok;
  }

  public static boolean port(Problems p, String field, int value) {
    boolean ok = value >= 1 && value <= 65535;
    p.check(ok, field, value, PORT_RULE);
    return ok;
  }

  public static boolean atLeast(Problems p, String field, long value, long min) {
    boolean ok = value >= min;
    p.check(ok, field, value, "must be at least " + min);
    return ok;
  }

  public static boolean labelValue(Problems p, String field, String value) {
    boolean ok = value != null && value.length() <= 63 && LABEL_VALUE.matcher(value).matches();
    p.check(ok, field, value,
        "must be a label value: at most 63 characters, letters, digits, '-', '_' and '.', "
            + "starting and ending with a letter or digit");
    return ok;
  }

  /**
   * An image reference pinned to a tag or digest; {@code latest} and untagged references are refused because
   * they make a rollout depend on when a node pulled.
   */
  public static boolean pinnedImage(Problems p, String field, String image) {
    if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
      p.add(field, image, "must be an image reference without spaces");
      return false;
    }
    if (image.contains("@sha256:")) {
      return true;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    boolean tagged = colon > slash;
    String tag = tagged ? image.substring(colon + 1) : "";
    boolean ok = tagged && !tag.isEmpty() && !tag.equals("latest");
    p.check(ok, field, image, "must name a pinned tag or digest (not 'latest', not untagged)");
    return ok;
  }
}
