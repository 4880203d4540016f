package io.heldar.core.tier;

import io.heldar.core.HeldarException;

/**
 * A segment lives on a tier this process has not configured (renamed or removed from the
 * configuration while footage still lives there): its file cannot be found, so it is not read,
 * moved or deleted until the tier is configured again.
 */
public final class UnknownTierException extends HeldarException {
  private static final long serialVersionUID = 1L;
  private final String tier;
  private final String path;

  /** The segment at {@code path} lives on {@code tier}, which is not configured. */
  public UnknownTierException(String tier, String path) {
    super("segment " + path + " lives on storage tier '" + tier
        + "', which is not configured; configure the tier (its root) again to reach it");
    this.tier = tier;
    this.path = path;
  }

  /** The tier the index names. */
  public String tier() {
    return tier;
  }

  /** The segment's path. */
  public String path() {
    return path;
  }
}
