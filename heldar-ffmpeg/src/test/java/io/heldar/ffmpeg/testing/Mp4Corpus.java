package io.heldar.ffmpeg.testing;

import io.heldar.ffmpeg.internal.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * MP4 files as other muxers and recorders write them: ffmpeg with the options cameras and recorders
 * use, GPAC MP4Box (which writes structures ffmpeg does not: mvex before the traks, edit lists with
 * a zero duration, fragments without tfdt, init segments; committed as fixtures with the script that
 * remakes them, since MP4Box is not on every machine), and byte edits for what neither writes on
 * demand. Each entry says which muxer made it and how.
 */
public final class Mp4Corpus {
  /**
   * One file.
   *
   * @param name a short name, also the file name
   * @param muxer who made it and how
   * @param file where it is
   */
  public record Entry(String name, String muxer, Path file) {
    @Override
    public String toString() {
      return name;
    }
  }

  private final Path dir;
  private final List<Entry> entries = new ArrayList<>();

  private Mp4Corpus(Path dir) {
    this.dir = dir;
  }

  /** Builds the whole corpus under {@code dir}. */
  public static List<Entry> build(Path dir) {
    Mp4Corpus c = new Mp4Corpus(dir);
    c.ffmpegFiles();
    c.mp4boxFiles();
    c.byteEdits();
    c.structureEdits();
    return List.copyOf(c.entries);
  }

  private static final List<String> VIDEO_IN =
      List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25");
  private static final List<String> AUDIO_IN =
      List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000");
  private static final List<String> X264_B = List.of(
      "-c:v", "libx264", "-preset", "medium", "-bf", "2", "-g", "25", "-pix_fmt", "yuv420p");
  private static final List<String> AAC = List.of("-c:a", "aac", "-b:a", "64k");

  private void ffmpegFiles() {
    ffmpeg(
        "ff-bframes-editlist.mp4",
        "ffmpeg, H.264 with B-frames and AAC (edit lists trim the B-frame delay and the AAC priming)",
        List.of(),
        X264_B,
        AAC);
    ffmpeg(
        "ff-bframes-no-editlist.mp4",
        "ffmpeg -use_editlist 0 (no edit lists: the B-frame delay shows as a composition offset)",
        List.of(),
        X264_B,
        AAC,
        List.of("-use_editlist", "0"));
    ffmpeg(
        "ff-faststart.mp4",
        "ffmpeg -movflags +faststart",
        List.of(),
        X264_B,
        AAC,
        List.of("-movflags", "+faststart"));
    ffmpeg(
        "ff-negative-cts.mp4",
        "ffmpeg -movflags negative_cts_offsets",
        List.of(),
        X264_B,
        AAC,
        List.of("-movflags", "+negative_cts_offsets"));
    ffmpeg(
        "ff-frag-empty-moov.mp4",
        "ffmpeg -movflags frag_keyframe+empty_moov (fragments, tfdt, no edit list)",
        List.of(),
        X264_B,
        AAC,
        List.of("-movflags", "frag_keyframe+empty_moov"));
    ffmpeg(
        "ff-frag-moov-samples.mp4",
        "ffmpeg -movflags frag_keyframe (first samples in the moov, the rest in fragments)",
        List.of(),
        X264_B,
        AAC,
        List.of("-movflags", "frag_keyframe"));
    ffmpeg(
        "ff-frag-base-moof.mp4",
        "ffmpeg -movflags frag_keyframe+empty_moov+default_base_moof",
        List.of(),
        X264_B,
        AAC,
        List.of("-movflags", "frag_keyframe+empty_moov+default_base_moof"));
    ffmpeg(
        "ff-tmcd.mov",
        "ffmpeg, QuickTime with a timecode track (-write_tmcd 1 -timecode)",
        List.of(),
        X264_B,
        AAC,
        List.of("-write_tmcd", "1", "-timecode", "01:00:00:00", "-f", "mov"));
    ffmpeg("ff-3gp.3gp", "ffmpeg -f 3gp", List.of(), X264_B, AAC, List.of("-f", "3gp"));
    ffmpeg(
        "ff-mjpeg.mov",
        "ffmpeg, MJPEG in QuickTime (IP cameras)",
        List.of(),
        List.of("-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj420p"),
        List.of("-an"),
        List.of("-f", "mov"));
    ffmpeg(
        "ff-one-frame.mp4",
        "ffmpeg -frames:v 1 -an: one H.264 frame (footage of a single frame, not a picture)",
        List.of(),
        X264_B,
        List.of("-an", "-frames:v", "1"));
    ffmpeg(
        "ff-video-only-no-editlist.mp4",
        "ffmpeg -an -use_editlist 0 (video alone, no edit list)",
        List.of(),
        X264_B,
        List.of("-an", "-use_editlist", "0"));
    ffmpeg(
        "ff-hevc-frag.mp4",
        "ffmpeg, HEVC fragmented with default_base_moof (as MediaMTX writes fMP4)",
        List.of(),
        List.of(
            "-c:v",
            "libx265",
            "-preset",
            "ultrafast",
            "-tag:v",
            "hvc1",
            "-x265-params",
            "log-level=error",
            "-pix_fmt",
            "yuv420p"),
        AAC,
        List.of("-movflags", "frag_keyframe+empty_moov+default_base_moof"));
    // An audio delay: the audio input starts 0.5 s late (an empty edit).
    Path delayed = dir.resolve("ff-audio-itsoffset.mp4");
    List<String> cmd = new ArrayList<>(
        List.of(TestMedia.ffmpeg().toString(), "-nostdin", "-loglevel", "error", "-y"));
    cmd.addAll(VIDEO_IN);
    cmd.addAll(List.of("-itsoffset", "0.5"));
    cmd.addAll(AUDIO_IN);
    cmd.addAll(List.of("-t", "2"));
    cmd.addAll(X264_B);
    cmd.addAll(AAC);
    cmd.add(delayed.toString());
    run(cmd);
    add(
        "ff-audio-itsoffset.mp4",
        "ffmpeg -itsoffset 0.5 on the audio input (an empty edit delays the audio)");
    // Cover art: an audio file with one attached picture.
    Path coverJpeg = dir.resolve("cover.jpg");
    run(List.of(
        TestMedia.ffmpeg().toString(),
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=1",
        "-frames:v",
        "1",
        coverJpeg.toString()));
    Path coverArt = dir.resolve("ff-cover-art.m4a");
    cmd = new ArrayList<>(
        List.of(TestMedia.ffmpeg().toString(), "-nostdin", "-loglevel", "error", "-y"));
    cmd.addAll(AUDIO_IN);
    cmd.addAll(List.of(
        "-i",
        coverJpeg.toString(),
        "-t",
        "3",
        "-map",
        "0:a",
        "-map",
        "1:v",
        "-c:a",
        "aac",
        "-c:v",
        "mjpeg",
        "-disposition:v",
        "attached_pic",
        "-f",
        "mp4",
        coverArt.toString()));
    run(cmd);
    add("ff-cover-art.m4a", "ffmpeg, AAC with an attached picture (cover art)");
  }

  @SafeVarargs
  private void ffmpeg(String name, String how, List<String>... parts) {
    List<String> cmd = new ArrayList<>(
        List.of(TestMedia.ffmpeg().toString(), "-nostdin", "-loglevel", "error", "-y"));
    cmd.addAll(VIDEO_IN);
    boolean audio = java.util.Arrays.stream(parts).noneMatch(p -> p.contains("-an"));
    if (audio) {
      cmd.addAll(AUDIO_IN);
    }
    cmd.addAll(List.of("-t", "2"));
    for (List<String> p : parts) {
      cmd.addAll(p);
    }
    cmd.add(dir.resolve(name).toString());
    run(cmd);
    add(name, how);
  }

  /**
   * The MP4Box-made files: committed fixtures (MP4Box is not on every machine), remade by {@code
   * remake.sh} beside them from the same test input as {@link #ffmpegFiles()}.
   */
  private void mp4boxFiles() {
    fixture(
        "gpac-raw-import.mp4",
        "MP4Box -add raw H.264 and ADTS AAC (its own B-frame edit list, 600 Hz movie timescale)");
    fixture(
        "gpac-noedit.mp4",
        "MP4Box -add raw H.264 :noedit (no edit list, composition offsets only)");
    fixture("gpac-audio-delay.mp4", "MP4Box -add with :delay=500 on the audio (an empty edit)");
    fixture("gpac-track-delay.mp4", "MP4Box -delay 2=300 (track start delay)");
    fixture("gpac-dur.mp4", "MP4Box -add :dur=1.5 (imports a part of the media)");
    fixture(
        "gpac-frag.mp4",
        "MP4Box -frag 500 (mvex before the traks, edit lists of duration 0, fragments without tfdt)");
    fixture(
        "gpac-dash-ondemand.mp4",
        "MP4Box -dash -profile onDemand (one file: sidx, tfdt, mvex first)");
    fixture(
        "gpac-dash-init.mp4",
        "MP4Box -dash -profile live: the initialization segment (tracks without samples)");
    fixture(
        "gpac-cover-art.m4a",
        "MP4Box -add audio and a JPEG (the picture becomes a one-sample video track)");
  }

  /** The directory of the committed MP4Box-made files and their {@code remake.sh}. */
  public static final String FIXTURES = "/io/heldar/ffmpeg/mp4box/";

  private void fixture(String name, String how) {
    try (java.io.InputStream in = Mp4Corpus.class.getResourceAsStream(FIXTURES + name)) {
      if (in == null) {
        throw new IllegalStateException("test fixture " + FIXTURES + name + " is missing");
      }
      Files.copy(in, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    add(name, how + "; committed fixture");
  }

  private void byteEdits() {
    edit(
        "ff-frag-base-moof.mp4",
        "edit-mvex-before-trak.mp4",
        "ffmpeg fragmented file with mvex moved before the traks",
        t -> {
          BoxTree.Box moov = t.first("moov");
          BoxTree.Box mvex = moov.child("mvex");
          moov.children.remove(mvex);
          moov.children.add(1, mvex);
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-all-ones-32.mp4",
        "mvhd, tkhd and mdhd durations set to all ones (32-bit: unknown)",
        t -> {
          for (BoxTree.Box b : t.all(b -> b.type.equals("mvhd") || b.type.equals("mdhd"))) {
            b.putU32(16, 0xffffffffL);
          }
          t.all("tkhd").forEach(b -> b.putU32(20, 0xffffffffL));
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-all-ones-64.mp4",
        "mvhd and mdhd rewritten as version 1 with 64-bit all-ones durations",
        t -> {
          for (BoxTree.Box b : t.all(b -> b.type.equals("mvhd") || b.type.equals("mdhd"))) {
            b.payload = version1(b.payload);
          }
          return t;
        });
    edit(
        "ff-frag-base-moof.mp4",
        "edit-overlapping-fragments.mp4",
        "the first fragment (moof + mdat) sent again at the end",
        t -> {
          int moof = t.top.indexOf(t.first("moof"));
          t.top.add(t.top.get(moof).copy());
          t.top.add(t.top.get(moof + 1).copy());
          return t;
        });
    edit(
        "ff-frag-base-moof.mp4",
        "edit-tfdt-offset.mp4",
        "every tfdt moved 5 hours on (a segment cut from a live stream)",
        t -> {
          java.util.Map<Long, Long> timescales = new java.util.HashMap<>();
          for (BoxTree.Box trak : t.all("trak")) {
            long id = trak.child("tkhd").u32(12);
            timescales.put(id, trak.child("mdia").child("mdhd").u32(12));
          }
          for (BoxTree.Box traf : t.all("traf")) {
            long shift = 5L * 3600 * timescales.get(traf.child("tfhd").u32(4));
            BoxTree.Box tfdt = traf.child("tfdt");
            if (tfdt.payload[0] == 1) {
              tfdt.putU64(4, tfdt.u64(4) + shift);
            } else {
              tfdt.putU32(4, tfdt.u32(4) + shift);
            }
          }
          return t;
        });
    edit(
        "ff-faststart.mp4",
        "edit-mdat-too-long.mp4",
        "the last mdat's size claims 7 bytes more than the file holds",
        t -> {
          BoxTree.Box mdat = t.all("mdat").get(t.all("mdat").size() - 1);
          mdat.claimedSize = mdat.size() + 7;
          return t;
        });
    edit(
        "ff-frag-base-moof.mp4",
        "edit-frag-mdat-too-long.mp4",
        "fragmented, its mfra dropped: the last mdat claims 5 bytes more than the file holds",
        t -> {
          t.top.removeIf(box -> box.type.equals("mfra"));
          BoxTree.Box mdat = t.all("mdat").get(t.all("mdat").size() - 1);
          mdat.claimedSize = mdat.size() + 5;
          return t;
        });
  }

  /** The byte edits of the MP4 structures phones and other muxers write (issue 24). */
  private void structureEdits() {
    edit(
        "ff-audio-itsoffset.mp4",
        "edit-elst-v1-empty-edit.mp4",
        "every elst rewritten as version 1 (64-bit): the audio's empty edit has media_time -1",
        t -> {
          for (BoxTree.Box elst : t.all("elst")) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(elst.payload);
            int n = in.getInt(4);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(8 + 20 * n);
            out.putInt(0x01000000).putInt(n);
            for (int i = 0; i < n; i++) {
              out.putLong(in.getInt(8 + 12 * i) & 0xffffffffL);
              out.putLong(in.getInt(12 + 12 * i)); // signed: -1 stays -1
              out.putInt(in.getInt(16 + 12 * i));
            }
            elst.payload = out.array();
          }
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-elst-count-too-large.mp4",
        "every elst's entry count 3 more than the box holds",
        t -> {
          t.all("elst").forEach(e -> e.putU32(4, e.u32(4) + 3));
          return t;
        });
    edit(
        "ff-video-only-no-editlist.mp4",
        "edit-elst-zero-empty-edit.mp4",
        "the only (video) track given an edit list of one empty edit of duration 0",
        t -> {
          BoxTree.Box trak = videoTrak(t);
          byte[] elst = java.nio.ByteBuffer.allocate(20)
              .putInt(0)
              .putInt(1)
              .putInt(0) // segment duration 0
              .putInt(-1) // media time -1: empty
              .putInt(0x00010000)
              .array();
          trak.children.add(
              trak.children.indexOf(trak.child("mdia")),
              BoxTree.container("edts", BoxTree.leaf("elst", elst)));
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-cmov.mp4",
        "the movie header compressed (moov holding cmov: dcom zlib, cmvd)",
        t -> {
          BoxTree.Box moov = t.first("moov");
          byte[] raw = BoxTree.bytes(moov);
          java.util.zip.Deflater deflater = new java.util.zip.Deflater();
          deflater.setInput(raw);
          deflater.finish();
          java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
          byte[] buf = new byte[8192];
          while (!deflater.finished()) {
            z.write(buf, 0, deflater.deflate(buf));
          }
          deflater.end();
          byte[] cmvd = java.nio.ByteBuffer.allocate(4 + z.size())
              .putInt(raw.length)
              .put(z.toByteArray())
              .array();
          BoxTree.Box compressed = BoxTree.container(
              "moov",
              BoxTree.container(
                  "cmov",
                  BoxTree.leaf("dcom", "zlib".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                  BoxTree.leaf("cmvd", cmvd)));
          t.top.set(t.top.indexOf(moov), compressed);
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-stsc-past-chunks.mp4",
        "the video's last sample-to-chunk run starts 10 chunks past the last chunk",
        t -> {
          BoxTree.Box stbl = videoTrak(t).all(b -> b.type.equals("stbl")).get(0);
          long chunks = stbl.child("stco").u32(4);
          BoxTree.Box stsc = stbl.child("stsc");
          int runs = (int) stsc.u32(4);
          stsc.putU32(8 + 12 * (runs - 1), chunks + 10);
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-two-sample-descriptions.mp4",
        "a second avc1 sample description (1280x720 in its fields), the first's fields say 640x480;"
            + " both avcC say 320x240, and the samples use the first",
        t -> {
          BoxTree.Box stsd = videoTrak(t).all(b -> b.type.equals("stsd")).get(0);
          byte[] p = stsd.payload;
          int entry = p.length - 8;
          java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 * entry);
          b.putInt(java.nio.ByteBuffer.wrap(p).getInt(0)).putInt(2);
          b.put(p, 8, entry).put(p, 8, entry);
          byte[] two = b.array();
          java.nio.ByteBuffer w = java.nio.ByteBuffer.wrap(two);
          w.putShort(8 + 32, (short) 640).putShort(8 + 34, (short) 480);
          w.putShort(8 + entry + 32, (short) 1280).putShort(8 + entry + 34, (short) 720);
          stsd.payload = two;
          return t;
        });
    edit(
        "ff-bframes-editlist.mp4",
        "edit-avc1-size-65535.mp4",
        "the avc1 width and height fields set to 65535 and 47922 (a fuzzed file); the SPS says 320x240",
        t -> {
          BoxTree.Box stsd = videoTrak(t).all(b -> b.type.equals("stsd")).get(0);
          java.nio.ByteBuffer.wrap(stsd.payload)
              .putShort(8 + 32, (short) 65535)
              .putShort(8 + 34, (short) 47922);
          return t;
        });
  }

  /** The first video trak (its hdlr says vide). */
  private static BoxTree.Box videoTrak(BoxTree t) {
    for (BoxTree.Box trak : t.all("trak")) {
      BoxTree.Box hdlr = trak.all(b -> b.type.equals("hdlr")).get(0);
      if (new String(hdlr.payload, 8, 4, java.nio.charset.StandardCharsets.ISO_8859_1)
          .equals("vide")) {
        return trak;
      }
    }
    throw new IllegalStateException("no video trak");
  }

  /** A version-0 mvhd/mdhd payload as version 1, with an all-ones 64-bit duration. */
  private static byte[] version1(byte[] v0) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(v0);
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(v0.length + 12);
    out.putInt(0x01000000 | (in.getInt(0) & 0xffffff));
    out.putLong(in.getInt(4) & 0xffffffffL); // creation
    out.putLong(in.getInt(8) & 0xffffffffL); // modification
    out.putInt(in.getInt(12)); // timescale
    out.putLong(-1L); // duration: all ones
    out.put(v0, 20, v0.length - 20);
    return out.array();
  }

  private void edit(String from, String name, String how, UnaryOperator<BoxTree> change) {
    try {
      byte[] bytes =
          change.apply(BoxTree.parse(Files.readAllBytes(dir.resolve(from)))).bytes();
      Files.write(dir.resolve(name), bytes);
      add(name, "byte edit of " + from + ": " + how);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void add(String name, String how) {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) {
      throw new IllegalStateException(name + " was not made (" + how + ")");
    }
    entries.add(new Entry(name, how, f));
  }

  private static void run(List<String> cmd) {
    try {
      io.heldar.ffmpeg.ExternalProcess.Result r =
          ProcessRunner.run(cmd, Duration.ofSeconds(120), 1 << 20, 8192);
      if (r.exitCode() != 0 || r.timedOut()) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed (exit " + r.exitCode() + "): " + r.stderrTail());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
