package io.heldar.store.sqlite;

import io.heldar.core.store.HeldarStore;
import io.heldar.store.contract.ConcurrencyContract;
import io.heldar.store.contract.GapDetectorContract;
import io.heldar.store.contract.HostEmbeddingContract;
import io.heldar.store.contract.RetentionSweeperContract;
import io.heldar.store.contract.SnapshotSchedulerContract;
import io.heldar.store.contract.StoreContract;
import io.heldar.store.contract.TierMovesContract;
import io.heldar.store.contract.TimelineContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;

/** The store contract kit on SQLite: one file per database name, in the test's directory. */
class SqliteContractTest {
  static HeldarStore open(Path dir, String name) {
    return SqliteHeldarStore.open(dir.resolve("db").resolve(name + ".db"));
  }

  @Nested
  class Store extends StoreContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class HostEmbedding extends HostEmbeddingContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class GapDetector extends GapDetectorContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class RetentionSweeper extends RetentionSweeperContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class SnapshotScheduler extends SnapshotSchedulerContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class Timeline extends TimelineContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }

  @Nested
  class TierMoves extends TierMovesContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(dir, name);
    }
  }
}
