package io.heldar.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.store.postgres.PostgresHeldarStore;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** CHANGELOG.md names the schema versions this build migrates to. */
class ChangelogTest {
  @Test
  void theChangelogStatesTheSchemaVersions() throws Exception {
    String changelog = Files.readString(Path.of("../CHANGELOG.md"));
    assertThat(changelog)
        .contains("(schema version " + SqliteHeldarStore.supportedSchemaVersion() + ")")
        .contains("schema version " + PostgresHeldarStore.supportedSchemaVersion() + "),");
  }
}
