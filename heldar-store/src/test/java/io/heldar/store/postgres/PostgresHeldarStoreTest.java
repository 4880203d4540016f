package io.heldar.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heldar.core.model.Camera;
import io.heldar.core.model.Segment;
import io.heldar.core.store.StoreException;
import io.heldar.store.HeldarStores;
import io.heldar.store.NotAHeldarDatabaseException;
import io.heldar.store.contract.StoreContract;
import io.heldar.store.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store has: URLs, connection failures, several processes on one schema. */
class PostgresHeldarStoreTest {
  private static Connection admin() throws Exception {
    return PostgresLocation.parse(TestPostgres.baseUrl()).connect();
  }

  @Test
  void parsesEveryUrlFormWithoutEverPrintingThePassword() {
    PostgresLocation a = PostgresLocation.parse(
        "postgresql://heldar:s%40cret@db.example:6543/video?currentSchema=site1&sslmode=require");
    assertThat(a.host()).isEqualTo("db.example");
    assertThat(a.port()).isEqualTo(6543);
    assertThat(a.database()).isEqualTo("video");
    assertThat(a.user()).isEqualTo("heldar");
    assertThat(a.password()).contains("s@cret");
    assertThat(a.schema()).contains("site1");
    assertThat(a.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example:6543/video?sslmode=require&currentSchema=site1");
    assertThat(a.describe())
        .isEqualTo("postgresql://heldar@db.example:6543/video?currentSchema=site1")
        .doesNotContain("cret");
    assertThat(a.toString()).doesNotContain("cret");
    PostgresLocation b =
        PostgresLocation.parse("jdbc:postgresql://localhost/heldar?user=u&password=p");
    assertThat(b.port()).isEqualTo(5432);
    assertThat(b.user()).isEqualTo("u");
    assertThat(b.password()).contains("p");
    assertThat(b.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/heldar");
    assertThat(PostgresLocation.parse("postgres://u@h/d").database()).isEqualTo("d");
    assertThat(HeldarStores.isPostgres("jdbc:postgresql://h/d")).isTrue();
    assertThat(HeldarStores.isPostgres("/var/lib/heldar/heldar.db")).isFalse();
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://u:pw@host:5432/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no database")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> PostgresLocation.parse("postgresql://u@h/d?currentSchema=x;drop"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema name");
    assertThat(PostgresLocation.redact("postgresql://u:secret@h/d?password=also"))
        .isEqualTo("postgresql://u:***@h/d?password=***");
  }

  @Test
  void aServerThatIsNotThereIsOneLineNamingItAndCreatesNothing() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "postgresql://nobody:pw@127.0.0.1:" + port + "/heldar";
    PostgresHeldarStore.Options quick = PostgresHeldarStore.Options.builder()
        .connectTimeout(Duration.ofSeconds(2))
        .build();
    assertThatThrownBy(() -> PostgresHeldarStore.open(PostgresLocation.parse(url), quick))
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith(
            "cannot open PostgreSQL postgresql://nobody@127.0.0.1:" + port + "/heldar: ")
        .hasMessageContaining("refused")
        .hasMessageNotContaining("pw@")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aMissingDatabaseOrRoleIsNamedByTheServersReason() {
    String base = TestPostgres.baseUrl();
    PostgresLocation loc = PostgresLocation.parse(base);
    String noDb =
        "postgresql://" + loc.user() + "@" + loc.host() + ":" + loc.port() + "/no_such_db";
    assertThatThrownBy(() -> HeldarStores.open(noDb))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no_such_db")
        .hasMessageContaining("does not exist");
    String noRole =
        "postgresql://no_such_role@" + loc.host() + ":" + loc.port() + "/" + loc.database();
    assertThatThrownBy(() -> HeldarStores.open(noRole))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no_such_role");
  }

  @Test
  void readOnlyOpeningCreatesNothing() throws Exception {
    String url = TestPostgres.freshUrl();
    String schema = PostgresLocation.parse(url).schema().orElseThrow();
    assertThatThrownBy(() -> HeldarStores.openExisting(url))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no Heldar database at");
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = '" + schema + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("schema not created").isZero();
    }
    HeldarStores.open(url).close();
    try (var store = HeldarStores.openExisting(url)) {
      assertThat(store.cameras().list()).isEmpty();
    }
  }

  @Test
  void refusesASchemaHoldingAnotherApplicationsTablesUnderHeldarsNames() throws Exception {
    String url = TestPostgres.freshUrl();
    String schema = PostgresLocation.parse(url).schema().orElseThrow();
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      st.execute("CREATE TABLE " + schema + ".cameras (serial_no text)");
    }
    assertThatThrownBy(() -> HeldarStores.open(url))
        .isInstanceOf(NotAHeldarDatabaseException.class)
        .hasMessageContaining("cameras")
        .hasMessageContaining("schema of its own");
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = '"
                + schema + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("nothing added").isEqualTo(1);
    }
  }

  @Test
  void processesStartingTogetherMigrateOnceAndIndexTheSameFilesWithoutDuplicatesOrErrors()
      throws Exception {
    String url = TestPostgres.freshUrl();
    int processes = 6;
    CyclicBarrier start = new CyclicBarrier(processes);
    ExecutorService pool = Executors.newFixedThreadPool(processes);
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      segments.add(StoreContract.segment("cam", i, 9.5));
    }
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int p = 0; p < processes; p++) {
        int seed = p;
        Callable<Integer> process = () -> {
          start.await();
          // Each "process" has its own store and pool; all open the same new schema at the same
          // moment.
          try (PostgresHeldarStore store = PostgresHeldarStore.open(
              PostgresLocation.parse(url),
              PostgresHeldarStore.Options.builder().poolSize(2).build())) {
            store.cameras().add(Camera.of("cam", StoreContract.T0));
            List<Segment> mine = new ArrayList<>(segments);
            java.util.Collections.shuffle(mine, new java.util.Random(seed));
            int inserted = 0;
            for (int i = 0; i < mine.size(); i += 25) {
              List<Segment> batch = mine.subList(i, Math.min(mine.size(), i + 25));
              inserted += store.inTransaction(() -> {
                List<Segment> added = store.segments().insertAll(batch);
                store.cameraStats().addIndexed("cam", added, StoreContract.T0);
                return added.size();
              });
            }
            return inserted;
          }
        };
        results.add(pool.submit(process));
      }
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total)
          .as("each segment inserted by exactly one process")
          .isEqualTo(segments.size());
    } finally {
      pool.shutdownNow();
    }
    try (PostgresHeldarStore store = PostgresHeldarStore.open(url)) {
      assertThat(store.segments().count("cam")).isEqualTo(segments.size());
      var stats = store.cameraStats().find("cam").orElseThrow();
      assertThat(stats.segmentCount()).isEqualTo(segments.size());
      long buckets = store
          .segments()
          .buckets("cam", StoreContract.T0.minusSeconds(3600), StoreContract.T0.plusSeconds(86_400))
          .stream()
          .mapToLong(io.heldar.core.model.TimelineBucket::segments)
          .sum();
      assertThat(buckets).as("roll-ups exact under concurrent writers").isEqualTo(segments.size());
      long recorded = store
          .segments()
          .buckets("cam", StoreContract.T0.minusSeconds(3600), StoreContract.T0.plusSeconds(86_400))
          .stream()
          .mapToLong(b -> b.recorded().toMillis())
          .sum();
      assertThat(recorded).isEqualTo(segments.size() * 9_500L);
    }
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT version) FROM "
            + PostgresLocation.parse(url).schema().orElseThrow() + ".schema_version")) {
      rs.next();
      assertThat(rs.getInt(1))
          .as("each migration applied once")
          .isEqualTo(rs.getInt(2))
          .isEqualTo(PostgresHeldarStore.supportedSchemaVersion());
    }
  }

  @Test
  void theSameStoreOpensByUrlAlone() {
    String url = TestPostgres.freshUrl();
    try (var store = HeldarStores.open(url)) {
      assertThat(store).isInstanceOf(PostgresHeldarStore.class);
      assertThat(store.describe()).startsWith("postgresql://").contains("currentSchema=");
      store.cameras().add(Camera.of("cam", StoreContract.T0));
    }
    try (var store =
        HeldarStores.open("jdbc:" + url.replaceFirst("^postgresql://([^@]*)@", "postgresql://")
            + "&user=" + PostgresLocation.parse(url).user())) {
      assertThat(store.cameras().find("cam")).isPresent();
      assertThat(store.segments().newest("cam")).isEqualTo(Optional.empty());
    }
  }
}
