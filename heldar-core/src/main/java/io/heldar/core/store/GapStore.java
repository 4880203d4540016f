package io.heldar.core.store;

import io.heldar.core.model.GapCause;
import io.heldar.core.model.GapStatus;
import io.heldar.core.model.RecordingGap;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code recording_gaps} table. */
public interface GapStore {
  /** Inserts an open gap and returns it with its id. */
  RecordingGap insertOpen(
      String cameraId, Instant start, Instant end, GapCause cause, Instant detectedAt);

  /** Moves the bounds of an open gap (it shrank); returns whether it existed. */
  boolean resize(long id, Instant start, Instant end);

  /** Marks a gap filled; returns whether it was open. */
  boolean markFilled(long id, Instant filledAt);

  /** Open gaps of a camera with {@code start < to} and {@code end > from}, ordered by start. */
  List<RecordingGap> openOverlapping(String cameraId, Instant from, Instant to);

  /** Gaps of a camera, ordered by start, optionally of one status only. */
  List<RecordingGap> list(String cameraId, Optional<GapStatus> status);

  /** Gaps of a camera of any status with {@code start < to} and {@code end > from}, ordered by start. */
  List<RecordingGap> overlapping(String cameraId, Instant from, Instant to);

  /**
   * The open gap of a camera with {@code cause}, the oldest first if there are several (for {@link
   * GapCause#NODE_DOWN} the schema allows one).
   */
  Optional<RecordingGap> openOfCause(String cameraId, GapCause cause);

  /** Deletes a gap row; returns whether it existed. */
  boolean delete(long id);

  /** Looks a gap up by id. */
  Optional<RecordingGap> find(long id);
}
