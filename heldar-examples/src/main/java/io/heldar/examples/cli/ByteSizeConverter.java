package io.heldar.examples.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code 500}, {@code 20MB}, {@code 1.5GB}, {@code 2GiB}, {@code 1TB}: decimal units, or binary with {@code i}. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?)b?", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not a size (use e.g. 500MB, 2GiB, 1TB)");
    }
    double base = m.group(3).isEmpty() ? 1000 : 1024;
    int power = "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
    return Math.round(Double.parseDouble(m.group(1)) * Math.pow(base, power));
  }
}
