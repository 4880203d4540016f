package io.heldar.store.postgres;

import io.heldar.core.store.HeldarStore;
import io.heldar.store.contract.ConcurrencyContract;
import io.heldar.store.contract.GapDetectorContract;
import io.heldar.store.contract.HostEmbeddingContract;
import io.heldar.store.contract.RetentionSweeperContract;
import io.heldar.store.contract.SnapshotSchedulerContract;
import io.heldar.store.contract.StoreContract;
import io.heldar.store.contract.TierMovesContract;
import io.heldar.store.contract.TimelineContract;
import io.heldar.store.testing.TestPostgres;
import org.junit.jupiter.api.Nested;

/** The store contract kit on a real PostgreSQL server: one schema per database name of each test. */
class PostgresContractTest {
  /** Each test instance's databases: one fresh schema per name. */
  private static final java.util.Map<Object, java.util.Map<String, String>> SCHEMAS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  static HeldarStore open(Object test, String name) {
    String url = SCHEMAS
        .computeIfAbsent(test, t -> new java.util.concurrent.ConcurrentHashMap<>())
        .computeIfAbsent(name, n -> TestPostgres.freshUrl());
    return PostgresHeldarStore.open(url);
  }

  @Nested
  class Store extends StoreContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class Concurrency extends ConcurrencyContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class HostEmbedding extends HostEmbeddingContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class GapDetector extends GapDetectorContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class RetentionSweeper extends RetentionSweeperContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class SnapshotScheduler extends SnapshotSchedulerContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class Timeline extends TimelineContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }

  @Nested
  class TierMoves extends TierMovesContract {
    @Override
    protected HeldarStore openDatabase(String name) {
      return open(this, name);
    }
  }
}
