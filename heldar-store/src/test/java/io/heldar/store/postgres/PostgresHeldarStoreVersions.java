package io.heldar.store.postgres;

/** The driver versions {@link PostgresHeldarStore} names in its error, for a test to compare. */
public final class PostgresHeldarStoreVersions {
  private PostgresHeldarStoreVersions() {}

  public static String pgjdbc() {
    return PostgresHeldarStore.PGJDBC_VERSION;
  }

  public static String hikari() {
    return PostgresHeldarStore.HIKARI_VERSION;
  }
}
