package io.heldar.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.store.StoreException;
import io.heldar.store.HeldarStores;
import io.heldar.store.jdbi.JdbiHeldarStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heldar reads SQLite text as UTF-8 bytes on its hot paths: a database it makes is UTF-8, and a
 * file made in another encoding is refused with the reason instead of read as the wrong text.
 */
class DatabaseEncodingTest {
  @TempDir
  Path dir;

  @Test
  void aNewDatabaseIsUtf8AndKeepsNonAsciiText() throws Exception {
    Path file = dir.resolve("heldar.db");
    Camera cam = new Camera(
        "door-1",
        "Caf\u00e9 \ud83d\ude00",
        Optional.empty(),
        Instant.parse("2026-12-06T10:00:00Z"));
    try (JdbiHeldarStore store = HeldarStores.open(file.toString())) {
      store.cameras().add(cam);
    }
    try (JdbiHeldarStore store = HeldarStores.open(file.toString())) {
      assertThat(store.cameras().find("door-1")).contains(cam);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA encoding")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("UTF-8");
    }
  }

  @Test
  void aUtf16DatabaseIsRefusedWithItsEncoding() throws Exception {
    // A Heldar database copied, schema and rows, into a file made UTF-16 (an encoding is chosen
    // when a file is made and never changes).
    Path heldar = dir.resolve("heldar.db");
    try (JdbiHeldarStore store = HeldarStores.open(heldar.toString())) {
      store.cameras().add(Camera.of("gate", Instant.parse("2026-12-06T10:00:00Z")));
    }
    java.util.List<String[]> objects = new java.util.ArrayList<>();
    java.util.Map<String, java.util.List<Object[]>> rows = new java.util.LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + heldar);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT type, name, sql FROM sqlite_master"
          + " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")) {
        while (rs.next()) {
          objects.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      }
      for (String[] o : objects) {
        if (o[0].equals("table")) {
          java.util.List<Object[]> table = new java.util.ArrayList<>();
          try (ResultSet rs = st.executeQuery("SELECT * FROM \"" + o[1] + "\"")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              Object[] row = new Object[n];
              for (int i = 0; i < n; i++) {
                row[i] = rs.getObject(i + 1);
              }
              table.add(row);
            }
          }
          rows.put(o[1], table);
        }
      }
    }
    Path file = dir.resolve("utf16.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA encoding = 'UTF-16le'");
      for (String[] o : objects) {
        if (o[0].equals("table")) {
          st.execute(o[2]);
        }
      }
      for (var table : rows.entrySet()) {
        for (Object[] row : table.getValue()) {
          String marks = String.join(", ", java.util.Collections.nCopies(row.length, "?"));
          try (var insert =
              c.prepareStatement("INSERT INTO \"" + table.getKey() + "\" VALUES (" + marks + ")")) {
            for (int i = 0; i < row.length; i++) {
              insert.setObject(i + 1, row[i]);
            }
            insert.executeUpdate();
          }
        }
      }
      for (String[] o : objects) {
        if (!o[0].equals("table")) {
          st.execute(o[2]);
        }
      }
    }
    assertThatThrownBy(() -> HeldarStores.open(file.toString()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("UTF-16le");
  }
}
