package io.heldar.examples.bench;

import io.heldar.core.Heldar;
import io.heldar.core.clip.ClipFormat;
import io.heldar.core.clip.ClipReport;
import io.heldar.core.clip.ClipRequest;
import io.heldar.core.clip.Clips;
import io.heldar.core.model.Camera;
import io.heldar.core.model.MediaInfo;
import io.heldar.core.model.Segment;
import io.heldar.core.probe.MediaProbes;
import io.heldar.examples.http.JettyApiServer;
import io.heldar.ffmpeg.ExternalProcess;
import io.heldar.ffmpeg.FfmpegBinaries;
import io.heldar.http.HttpApiOptions;
import io.heldar.store.sqlite.SqliteHeldarStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code heldar bench clips}: exports of growing length from 2 s segments (H.264 + AAC, made once by
 * ffmpeg) indexed in a real SQLite file. For each length: progressive and fragmented export to a
 * file (throughput, peak heap), {@code cat} of the same files and a sync of its output (the floor:
 * reading the bytes and writing them durably, as a clip is written), each the better of two runs, and, up to {@code ffmpegMaxHours}, {@code ffmpeg -f concat -c copy}; then the time to the
 * first byte of the HTTP clip ({@code clip.mp4} whole, and with a {@code Range} header as browsers
 * send). Segments are copies of one file (hard links above {@code linkAboveHours}, so a day costs
 * no disk); the page cache is warm for every contender alike.
 */
public final class ClipBench {
  /**
   * What to run.
   *
   * @param hours clip lengths, in hours of footage
   * @param linkAboveHours lengths above this use hard links instead of copies
   * @param ffmpegMaxHours lengths up to this are also cut by ffmpeg's concat demuxer
   * @param work the work directory
   * @param videoKbps the segments' video bit rate
   * @param runs timed runs of each length (one set of files); each figure is their median
   */
  public record Options(
      List<Double> hours,
      double linkAboveHours,
      double ffmpegMaxHours,
      Path work,
      int videoKbps,
      int runs) {}

  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  private static final int SEGMENT_SECONDS = 2;

  private final Options o;
  private final PrintWriter out;

  public ClipBench(Options o, PrintWriter out) {
    this.o = o;
    this.out = out;
  }

  public void run() throws Exception {
    Path template = o.work().resolve("template.mp4");
    // libx264 where ffmpeg has it (B-frames), else OpenH264 (the bundled LGPL ffmpeg's encoder).
    String encoder = "libx264";
    for (String e : List.of("libx264", "libopenh264")) {
      ExternalProcess.Result made = ExternalProcess.run(
          List.of(
              FfmpegBinaries.ffmpeg().toString(),
              "-nostdin",
              "-v",
              "error",
              "-y",
              "-f",
              "lavfi",
              "-i",
              "testsrc2=size=640x360:rate=25",
              "-f",
              "lavfi",
              "-i",
              "sine=frequency=440:sample_rate=48000",
              "-t",
              "2",
              "-c:v",
              e,
              "-b:v",
              o.videoKbps() + "k",
              "-g",
              "25",
              "-pix_fmt",
              "yuv420p",
              "-c:a",
              "aac",
              "-b:a",
              "64k",
              "-f",
              "mp4",
              template.toString()),
          Duration.ofMinutes(1),
          4096,
          4096);
      if (made.exitCode() == 0) {
        encoder = e;
        break;
      }
    }
    MediaInfo media = MediaProbes.nativeMp4().probe(template);
    long size = Files.size(template);
    out.printf(
        Locale.ROOT,
        "segment: 2 s of 640x360 H.264 (%s) %d kbit/s + AAC, %d bytes; JVM max heap %d MB%n",
        encoder,
        o.videoKbps(),
        size,
        Runtime.getRuntime().maxMemory() >> 20);
    out.println("hours  segments  MB        cat MB/s  mp4 MB/s (vs cat)  fmp4 MB/s (vs cat)"
        + "  peak heap MB  ffmpeg concat s (Heldar x faster)  first byte ms (whole, range)");
    for (double h : o.hours()) {
      measure(h, template, media, size);
    }
    out.println("load average after: " + BenchMachine.loadAverage());
    out.flush();
  }

  private void measure(double hours, Path template, MediaInfo media, long size) throws Exception {
    int n = (int) Math.round(hours * 3600 / SEGMENT_SECONDS);
    Path dir = o.work().resolve("h" + hours);
    Path root = dir.resolve("rec");
    Files.createDirectories(root.resolve("cam"));
    List<Path> files = new ArrayList<>(n);
    List<Segment> rows = new ArrayList<>(n);
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      String rel = String.format(Locale.ROOT, "cam/%06d.mp4", i);
      Path f = root.resolve(rel);
      if (hours > o.linkAboveHours()) {
        Files.createLink(f, template);
      } else {
        Files.copy(template, f);
      }
      files.add(f);
      rows.add(Segment.of(
          "cam", rel, T0.plusSeconds((long) SEGMENT_SECONDS * i), media, size, now, now));
    }
    try (SqliteHeldarStore store = SqliteHeldarStore.open(dir.resolve("heldar.db"))) {
      store.cameras().add(new Camera("cam", "cam", Optional.empty(), now));
      for (int i = 0; i < rows.size(); i += 5000) {
        store.segments().insertAll(rows.subList(i, Math.min(rows.size(), i + 5000)));
      }
      Instant end = T0.plusSeconds((long) SEGMENT_SECONDS * n);
      double mb = (double) size * n / 1e6;
      RunFigures figures = new RunFigures();
      for (int run = 0; run < o.runs(); run++) {
        double cat = best(() -> cat(files, dir.resolve("cat.out")));
        Files.delete(dir.resolve("cat.out"));
        Clips clips = new Clips(store, root, Clock.systemUTC());
        resetPeaks();
        ClipRequest mp4 = ClipRequest.of("cam", T0, end);
        ClipReport[] r = new ClipReport[1];
        double progressive = best(() -> r[0] = clips.write(mp4, dir.resolve("clip.mp4")));
        long frames = r[0].frames();
        Files.delete(dir.resolve("clip.mp4"));
        double fragmented = seconds(() ->
            clips.write(mp4.withFormat(ClipFormat.FRAGMENTED_MP4), dir.resolve("clip-f.mp4")));
        Files.delete(dir.resolve("clip-f.mp4"));
        long peak = peakHeap();
        String concat = "-";
        if (hours <= o.ffmpegMaxHours()) {
          double c = seconds(() -> ffmpegConcat(files, dir));
          concat = String.format(Locale.ROOT, "%.2f (%.1fx)", c, c / progressive);
          figures.add("ffmpeg concat s", c);
        }
        String firstByte = firstByte(store, root, end);
        out.printf(
            Locale.ROOT,
            "%-6s %-9d %-9.0f %-9.0f %-18s %-19s %-13d %-34s %s%n",
            hours,
            n,
            mb,
            mb / cat,
            String.format(Locale.ROOT, "%.0f (%.0f%%)", mb / progressive, 100 * cat / progressive),
            String.format(Locale.ROOT, "%.0f (%.0f%%)", mb / fragmented, 100 * cat / fragmented),
            peak >> 20,
            concat,
            firstByte);
        out.flush();
        if (frames != (long) n * 50) {
          throw new IllegalStateException("the clip holds " + frames + " frames, not " + n * 50);
        }
        figures
            .add("cat MB/s", mb / cat)
            .add("mp4 MB/s", mb / progressive)
            .add("fmp4 MB/s", mb / fragmented)
            .add("peak heap MB", peak >> 20);
      }
      if (o.runs() > 1) {
        figures.print(
            out, String.format(Locale.ROOT, "%s h, median of %d runs", hours, o.runs()), "%.2f");
      }
    } finally {
      io.heldar.examples.WorkDir.deleteTree(dir);
    }
  }

  /** The time to the first byte of the HTTP clip of the whole range: plain, then ranged. */
  private String firstByte(SqliteHeldarStore store, Path root, Instant end) throws Exception {
    try (Heldar heldar = Heldar.builder()
            .store(store)
            .recordingsRoot(root)
            .probe(MediaProbes.nativeMp4())
            .build();
        JettyApiServer api = new JettyApiServer(
            heldar,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            HttpApiOptions.builder().maxClipLength(Duration.ofDays(2)).build())) {
      api.start();
      URI uri = URI.create("http://127.0.0.1:" + api.address().getPort()
          + "/api/cameras/cam/clip.mp4?start=" + T0 + "&end=" + end);
      HttpClient client = HttpClient.newHttpClient();
      double whole = 0;
      double ranged = 0;
      for (int i = 0; i < 3; i++) { // the best of three: the first warms the JIT
        whole = i == 0
            ? firstByte(client, HttpRequest.newBuilder(uri).build())
            : Math.min(whole, firstByte(client, HttpRequest.newBuilder(uri).build()));
        double r = firstByte(
            client, HttpRequest.newBuilder(uri).header("Range", "bytes=0-").build());
        ranged = i == 0 ? r : Math.min(ranged, r);
      }
      return String.format(Locale.ROOT, "%.0f, %.0f", whole, ranged);
    }
  }

  private static double firstByte(HttpClient client, HttpRequest request) throws Exception {
    long t = System.nanoTime();
    HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      if (in.read() < 0) {
        throw new IllegalStateException("empty clip: " + r.statusCode());
      }
      double ms = (System.nanoTime() - t) / 1e6;
      return ms; // closing the stream drops the rest: the server's export stops at its next write
    }
  }

  private interface Work {
    void run() throws Exception;
  }

  /** The better of two runs: writeback and the JIT make a single run noisy. */
  private static double best(Work w) throws Exception {
    return Math.min(seconds(w), seconds(w));
  }

  private static double seconds(Work w) throws Exception {
    long t = System.nanoTime();
    w.run();
    return (System.nanoTime() - t) / 1e9;
  }

  /**
   * {@code cat} of the files into one, in batches (no shell: the files are arguments), then the
   * result forced to disk, as a clip is: the floor of writing these bytes durably.
   */
  private static void cat(List<Path> files, Path target) throws IOException {
    Files.deleteIfExists(target);
    Files.createFile(target);
    for (int i = 0; i < files.size(); i += 1000) {
      List<String> cmd = new ArrayList<>(List.of("cat"));
      files.subList(i, Math.min(files.size(), i + 1000)).forEach(f -> cmd.add(f.toString()));
      Process p = new ProcessBuilder(cmd)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(target.toFile()))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      try {
        if (p.waitFor() != 0) {
          throw new IOException("cat failed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(target, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void ffmpegConcat(List<Path> files, Path dir) throws IOException {
    Path list = dir.resolve("concat.txt");
    StringBuilder b = new StringBuilder();
    files.forEach(f -> b.append("file '").append(f).append("'\n"));
    Files.writeString(
        list, b.toString(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    ExternalProcess.Result r = ExternalProcess.run(
        List.of(
            FfmpegBinaries.ffmpeg().toString(),
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            list.toString(),
            "-c",
            "copy",
            "-f",
            "mp4",
            dir.resolve("concat.mp4").toString()),
        Duration.ofHours(1),
        4096,
        4096);
    if (r.exitCode() != 0) {
      throw new IOException("ffmpeg concat failed: " + r.stderrTail());
    }
    Files.delete(dir.resolve("concat.mp4"));
  }

  private static void resetPeaks() {
    System.gc();
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        p.resetPeakUsage();
      }
    }
  }

  /** The sum of the heap pools' peaks since {@link #resetPeaks}: an upper bound of heap used. */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
