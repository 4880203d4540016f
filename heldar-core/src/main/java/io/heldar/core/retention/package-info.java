/**
 * Retention: {@link io.heldar.core.retention.RetentionPolicy} says what to keep (age, bytes per
 * camera, free space, per-camera rules, the safety share); {@link
 * io.heldar.core.retention.RetentionSweeper} plans ({@link io.heldar.core.retention.RetentionPlan})
 * and deletes safely ({@link io.heldar.core.retention.SweepReport}).
 */
package io.heldar.core.retention;
