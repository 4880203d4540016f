package io.heldar.examples.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import javax.imageio.ImageIO;

/** Draws a synthetic camera's picture for an instant: its name, the time, a moving bar; as JPEG. */
final class FrameRenderer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss.S 'UTC'").withZone(ZoneOffset.UTC);
  private final String name;
  private final Color tint;
  private final int width;
  private final int height;

  FrameRenderer(String name, Color tint, int width, int height) {
    this.name = name;
    this.tint = tint;
    this.width = width;
    this.height = height;
  }

  byte[] jpeg(Instant at) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(tint.darker().darker());
      g.fillRect(0, 0, width, height);
      long ms = at.toEpochMilli();
      int x = (int) ((ms / 10) % (width + 60)) - 60;
      g.setColor(tint);
      g.fillRect(x, height / 2 - 20, 60, 40);
      g.setColor(Color.WHITE);
      g.setStroke(new BasicStroke(2));
      g.drawRect(4, 4, width - 9, height - 9);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, height / 10)));
      g.drawString(name, 14, height / 6 + 6);
      g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, Math.max(11, height / 12)));
      g.drawString(TIME.format(at), 14, height - 16);
    } finally {
      g.dispose();
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(img, "jpg", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }
}
