package io.heldar.core.store;

import io.heldar.core.model.UnreadableFile;
import java.util.Collection;
import java.util.Map;

/** The {@code unreadable_files} table: files whose probe failed, keyed by path. */
public interface UnreadableFileStore {
  /** Records (or replaces) a failure. */
  void put(UnreadableFile file);

  /** Forgets a path (indexed after all, or gone). */
  void remove(String path);

  /** Every recorded failure of a camera, by path. */
  Map<String, UnreadableFile> of(String cameraId);

  /** The recorded failures among {@code paths}, by path: a few batched queries, not one per path. */
  Map<String, UnreadableFile> among(Collection<String> paths);
}
