package io.heldar.http;

import io.heldar.core.Heldar;
import io.heldar.core.metrics.CameraMetrics;
import io.heldar.core.runtime.TaskHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The health rule: Heldar is unhealthy when a supervised task failed {@link #UNHEALTHY_FAILURES}
 * times in a row or the database does not answer; cameras that need attention are warnings, not
 * reasons (restarting Heldar does not bring a camera back). The warnings are bounded: counts per
 * camera status, and the first few cameras by id, the rest in {@code /api/cameras}.
 *
 * @param healthy whether there is no reason
 * @param reasons why it is unhealthy; messages only, never a Java type or stack trace
 * @param camerasNeedingAttention cameras whose status needs attention, per status ({@code stale},
 *     {@code failing}, ...)
 * @param warnings the first cameras needing attention, one line each, by camera id
 * @param warningsOmitted how many such cameras {@code warnings} leaves out
 */
public record HealthReport(
    boolean healthy,
    List<String> reasons,
    Map<String, Integer> camerasNeedingAttention,
    List<String> warnings,
    int warningsOmitted) {
  /** A task this many failures in a row makes Heldar unhealthy. */
  public static final int UNHEALTHY_FAILURES = 3;

  /** Cameras listed in {@code warnings} by default. */
  public static final int DEFAULT_MAX_WARNINGS = 20;

  /** Copies the lists and checks the counts. */
  public HealthReport {
    reasons = List.copyOf(reasons);
    camerasNeedingAttention = Map.copyOf(camerasNeedingAttention);
    warnings = List.copyOf(warnings);
    if (warningsOmitted < 0) {
      throw new IllegalArgumentException("warningsOmitted must not be negative");
    }
    if (healthy != reasons.isEmpty()) {
      throw new IllegalArgumentException("healthy exactly when there is no reason");
    }
  }

  /**
   * Checks {@code heldar} now: its tasks, one database read, and its cameras' metrics (kept in
   * memory).
   *
   * @param maxWarnings cameras listed in {@code warnings} at most
   */
  public static HealthReport of(Heldar heldar, int maxWarnings) {
    Objects.requireNonNull(heldar, "heldar");
    if (maxWarnings < 0) {
      throw new IllegalArgumentException("maxWarnings must not be negative: " + maxWarnings);
    }
    List<String> reasons = new ArrayList<>();
    for (TaskHealth t : heldar.health()) {
      if (t.consecutiveFailures() >= UNHEALTHY_FAILURES) {
        reasons.add("task " + t.name() + " failed " + t.consecutiveFailures() + " times in a row: "
            + forClients(t.lastFailureMessage().orElse(null)));
      }
    }
    try {
      heldar.client().camera("health-check"); // the database answers
    } catch (RuntimeException e) {
      reasons.add("the database does not answer: " + forClients(e.getMessage()));
    }
    Map<String, Integer> counts = new TreeMap<>();
    List<CameraMetrics> attention = heldar.metrics().cameras().values().stream()
        .filter(c -> c.status().needsAttention())
        .sorted(java.util.Comparator.comparing(CameraMetrics::cameraId))
        .toList();
    List<String> warnings = new ArrayList<>();
    for (CameraMetrics c : attention) {
      counts.merge(c.status().state().name().toLowerCase(Locale.ROOT), 1, Integer::sum);
      if (warnings.size() < maxWarnings) {
        warnings.add("camera " + c.cameraId() + ": " + c.status().reason());
      }
    }
    return new HealthReport(
        reasons.isEmpty(), reasons, counts, warnings, attention.size() - warnings.size());
  }

  private static final java.util.regex.Pattern JAVA_TYPE = java.util.regex.Pattern.compile(
      "(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error|Throwable)(?::\\s*)?");

  /**
   * A failure's message as clients may see it: Java type names that drivers put in their messages
   * ({@code org.sqlite.SQLiteException: }) and everything from a Jdbi statement dump on are cut;
   * the whole failure is in the server's log.
   */
  static String forClients(String message) {
    if (message == null || message.isBlank()) {
      return "no message (see the server's log)";
    }
    String m = message;
    int statement = m.indexOf(" [statement:");
    if (statement >= 0) {
      m = m.substring(0, statement);
    }
    m = JAVA_TYPE.matcher(m).replaceAll("").strip();
    return m.isEmpty() ? "no message (see the server's log)" : m;
  }

  /** The JSON shape of {@code /health}. */
  public Map<String, Object> toJson() {
    return ApiJson.object(
        "status",
        healthy ? "ok" : "unhealthy",
        "reasons",
        reasons,
        "cameras_needing_attention",
        new TreeMap<>(camerasNeedingAttention),
        "warnings",
        warnings,
        "warnings_omitted",
        warningsOmitted);
  }
}
