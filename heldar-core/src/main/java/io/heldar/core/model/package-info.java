/**
 * Heldar's values, immutable records that import nothing of Heldar's above them: {@link
 * io.heldar.core.model.Camera} (and its id rule), {@link io.heldar.core.model.Segment}, {@link
 * io.heldar.core.model.RecordingGap}, {@link io.heldar.core.model.Snapshot}, {@link
 * io.heldar.core.model.SnapshotSchedule}, {@link io.heldar.core.model.MediaInfo}; {@link
 * io.heldar.core.model.EventKinds} names every event kind. Events themselves are in {@code
 * io.heldar.core.event}.
 */
package io.heldar.core.model;
