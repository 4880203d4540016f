package io.heldar.store.contract;

import io.heldar.core.store.HeldarStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root of the store contract kit: every contract suite extends it, and a store runs the kit by
 * extending each suite once (see {@code SqliteContractTest}, {@code PostgresContractTest}) and
 * saying how to open a database. A suite opens databases by name: the same name in one test is the
 * same database (a second open is a second process on it); a new name is a new, empty database.
 */
public abstract class StoreContractBase {
  /** A directory of this test, for files (recordings, snapshots) and for file-based databases. */
  @TempDir
  protected Path dir;

  /** Opens database {@code name} of this test: a new store instance, on the same database for the same name. */
  protected abstract HeldarStore openDatabase(String name);

  /** Opens this test's main database. */
  protected final HeldarStore openDatabase() {
    return openDatabase("heldar");
  }
}
