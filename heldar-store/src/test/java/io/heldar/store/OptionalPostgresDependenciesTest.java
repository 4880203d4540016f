package io.heldar.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pgJDBC and HikariCP are optional dependencies of {@code heldar-store}: on a classpath without
 * them (as a SQLite-only user has), SQLite works and a PostgreSQL URL fails with the dependencies
 * to add, not a {@code NoClassDefFoundError}.
 */
class OptionalPostgresDependenciesTest {
  @TempDir
  Path dir;

  @Test
  void withoutPgjdbcAndHikariSqliteWorksAndPostgresNamesWhatToAdd() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (!name.startsWith("postgresql-") && !name.startsWith("HikariCP-")) {
        urls.add(Path.of(entry).toUri().toURL());
      }
    }
    try (URLClassLoader sqliteOnly =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThat(hidden(sqliteOnly, "org.postgresql.Driver")).isTrue();
      assertThat(hidden(sqliteOnly, "com.zaxxer.hikari.HikariDataSource")).isTrue();
      Class<?> stores = sqliteOnly.loadClass("io.heldar.store.HeldarStores");
      Method open = stores.getMethod("open", String.class);
      try (AutoCloseable sqlite =
          (AutoCloseable) open.invoke(null, dir.resolve("heldar.db").toString())) {
        assertThat(sqlite.getClass().getSimpleName()).isEqualTo("SqliteHeldarStore");
      }
      Throwable failure = null;
      try {
        open.invoke(null, "postgresql://heldar@127.0.0.1:1/heldar");
      } catch (InvocationTargetException e) {
        failure = e.getCause();
      }
      assertThat(failure).isNotNull();
      assertThat(failure.getClass().getSimpleName()).isEqualTo("StoreException");
      assertThat(failure.getMessage())
          .contains("org.postgresql:postgresql", "com.zaxxer:HikariCP", "add them to your build");
    }
  }

  private static boolean hidden(ClassLoader loader, String name) {
    try {
      loader.loadClass(name);
      return false;
    } catch (ClassNotFoundException e) {
      return true;
    }
  }

  @Test
  void theVersionsNamedAreTheOnesBuiltWith() throws Exception {
    assertThat(io.heldar.store.postgres.PostgresHeldarStoreVersions.pgjdbc())
        .isEqualTo(org.postgresql.util.DriverInfo.DRIVER_VERSION);
    java.util.Properties hikari = new java.util.Properties();
    try (var in = com.zaxxer.hikari.HikariDataSource.class.getResourceAsStream(
        "/META-INF/maven/com.zaxxer/HikariCP/pom.properties")) {
      hikari.load(in);
    }
    assertThat(io.heldar.store.postgres.PostgresHeldarStoreVersions.hikari())
        .isEqualTo(hikari.getProperty("version"));
  }
}
