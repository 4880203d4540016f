package io.heldar.core.model;

/** How much an event matters. */
public enum Severity {
  /** Normal operation worth recording. */
  INFO,
  /** Something is wrong with one item; work carries on. */
  WARNING,
  /** A component failed. */
  ERROR
}
