package io.heldar.examples.cli;

import static io.heldar.examples.cli.IndexCommandTest.heldar;
import static org.assertj.core.api.Assertions.assertThat;

import io.heldar.ffmpeg.testing.TestMedia;
import io.heldar.ffmpeg.testing.TestMedia.Spec;
import io.heldar.store.HeldarStores;
import io.heldar.store.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimelineAndRetentionCommandTest {
  @TempDir
  Path dir;

  /** The test's database: a SQLite file, or a fresh schema on the test PostgreSQL server. */
  static String database(String kind, Path dir) {
    return kind.equals("sqlite") ? dir.resolve("heldar.db").toString() : TestPostgres.freshUrl();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void timelineAsTextJsonAndPictureThenRetention(String kind) throws Exception {
    String db = database(kind, dir);
    Path root = dir.resolve("rec");
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (String name : new String[] {
      "20261121T100000Z.mp4", "20261121T100002Z.mp4", "20261121T100004Z.mp4", "20261121T100030Z.mp4"
    }) {
      TestMedia.touch(TestMedia.make(root.resolve("yard").resolve(name), Spec.plain()), old);
    }
    assertThat(heldar("index", "--db", db, "--root", root.toString(), "--once").status())
        .isZero();

    IndexCommandTest.Run text = heldar(
        "timeline",
        "--db",
        db,
        "--camera",
        "yard",
        "--from",
        "2026-11-21T09:59:00Z",
        "--to",
        "2026-11-21T10:01:00Z",
        "--svg",
        dir.resolve("t.svg").toString());
    assertThat(text.status()).as(text.err()).isZero();
    assertThat(text.out())
        .contains(
            "recorded 8s in 2 run(s), 1 open gap(s)",
            "footage  2026-11-21T10:00:00Z .. 2026-11-21T10:00:06Z",
            "gap      2026-11-21T10:00:06Z .. 2026-11-21T10:00:30Z  (24s, missing)",
            "2026-11-21  24h day");
    String svg = Files.readString(dir.resolve("t.svg"));
    assertThat(svg)
        .startsWith("<svg")
        .contains("footage", "gap (missing)", "10:00:30")
        .endsWith("</svg>\n");

    IndexCommandTest.Run json =
        heldar("timeline", "--db", db, "--camera", "yard", "--format", "json");
    assertThat(json.out())
        .contains("\"camera\" : \"yard\"", "\"cause\" : \"missing\"", "\"recorded_seconds\" : 8.0")
        // without --from the range fits the data: it starts at the first footage
        .contains("\"from\" : \"2026-11-21T10:00:00Z\"");

    IndexCommandTest.Run dry =
        heldar("retention", "--db", db, "--root", root.toString(), "--max-age", "1h", "--dry-run");
    assertThat(dry.out()).contains("plan: 3 segment(s)", "REFUSED", "dry run: nothing deleted");
    assertThat(dry.status()).as("a refused plan, dry run or not").isEqualTo(1);
    assertThat(dry.out())
        .contains("forecast (rates over the last 7 days): " + root)
        .containsPattern("yard: [0-9.]+ [MG]B a day, holds [0-9.]+ MB; keeps 1h 00m 00s");
    IndexCommandTest.Run refused =
        heldar("retention", "--db", db, "--root", root.toString(), "--max-age", "1h");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(root.resolve("yard/20261121T100000Z.mp4")).exists();
    IndexCommandTest.Run forced =
        heldar("retention", "--db", db, "--root", root.toString(), "--max-age", "1h", "--force");
    assertThat(forced.status()).as(forced.err()).isZero();
    assertThat(forced.out()).contains("deleted 3 segment(s)");
    assertThat(root.resolve("yard/20261121T100000Z.mp4")).doesNotExist();
    assertThat(root.resolve("yard/20261121T100030Z.mp4"))
        .as("the newest segment stays")
        .exists();
    try (var store = HeldarStores.open(db)) {
      assertThat(store.segments().count("yard")).isEqualTo(1);
    }
    assertThat(heldar("retention", "--db", db, "--root", root.toString()).err())
        .contains("give at least one of");
  }

  /** Tiers through the command line: plan, move, check each tier's files, mark what vanished. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sqlite", "postgresql"})
  void tiersPlanMoveAndCheckThroughTheCommandLine(String kind) throws Exception {
    String db = database(kind, dir);
    Path root = dir.resolve("rec");
    Path nas = java.nio.file.Files.createDirectories(dir.resolve("nas"));
    Instant old = Instant.parse("2026-11-21T09:00:00Z");
    for (String name :
        new String[] {"20261121T100000Z.mp4", "20261121T100002Z.mp4", "20261121T100004Z.mp4"}) {
      TestMedia.touch(TestMedia.make(root.resolve("yard").resolve(name), Spec.plain()), old);
    }
    assertThat(heldar("index", "--db", db, "--root", root.toString(), "--once").status())
        .isZero();
    String[] tier = {"--tier", "nas=" + nas, "--move-after", "hot=1h"};

    IndexCommandTest.Run plan = heldar(
        concat(new String[] {"retention", "--db", db, "--root", root.toString(), "--plan"}, tier));
    assertThat(plan.status()).as(plan.out()).isZero();
    assertThat(plan.out())
        .contains("moves: 3 segment(s)")
        .contains("hot -> nas yard: 3 by age")
        .contains("tier nas " + nas);
    assertThat(root.resolve("yard/20261121T100000Z.mp4")).exists();

    IndexCommandTest.Run move =
        heldar(concat(new String[] {"retention", "--db", db, "--root", root.toString()}, tier));
    assertThat(move.out()).contains("moved 3 segment(s)");
    assertThat(nas.resolve("yard/20261121T100002Z.mp4")).exists();
    assertThat(root.resolve("yard/20261121T100002Z.mp4")).doesNotExist();

    IndexCommandTest.Run check =
        heldar(concat(new String[] {"check", "--db", db, "--root", root.toString()}, tier));
    assertThat(check.status()).as(check.out()).isZero();
    assertThat(check.out()).contains("tier nas: yard: 3 indexed, 3 file(s) on disk; in sync");

    java.nio.file.Files.delete(nas.resolve("yard/20261121T100002Z.mp4"));
    IndexCommandTest.Run found =
        heldar(concat(new String[] {"check", "--db", db, "--root", root.toString()}, tier));
    assertThat(found.status()).as(found.out()).isEqualTo(1);
    assertThat(found.out()).contains("tier nas: yard: 3 indexed, 2 file(s) on disk; 1 vanished");
    IndexCommandTest.Run applied = heldar(
        concat(new String[] {"check", "--db", db, "--root", root.toString(), "--apply"}, tier));
    assertThat(applied.status()).as(applied.out()).isZero();
    assertThat(applied.out()).contains("marked missing");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
