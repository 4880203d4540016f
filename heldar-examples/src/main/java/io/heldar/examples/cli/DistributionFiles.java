package io.heldar.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the files of the {@code heldar} distribution that come from the commands themselves, so
 * they never disagree with {@code --help}: the bash completion script ({@code
 * completion/heldar.bash}, picocli's) and a man page per command ({@code man/man1/heldar.1},
 * {@code heldar-run.1}, {@code heldar-bench-clips.1}…). The build runs it before packing {@code
 * heldar-VERSION.tar.gz}.
 */
public final class DistributionFiles {
  private DistributionFiles() {}

  /** {@code args[0]}: the directory to write into; {@code args[1]}: the version. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: DistributionFiles DIR VERSION");
    }
    write(Path.of(args[0]), args[1]);
  }

  /** Writes the completion script and the man pages under {@code dir}. */
  public static void write(Path dir, String version) throws IOException {
    CommandLine cl = HeldarCli.commandLine();
    Path completion = Files.createDirectories(dir.resolve("completion"));
    Files.writeString(
        completion.resolve("heldar.bash"), AutoComplete.bash("heldar", cl), StandardCharsets.UTF_8);
    Path man = Files.createDirectories(dir.resolve("man/man1"));
    page(man, cl, "heldar", version);
  }

  private static void page(Path man, CommandLine cl, String name, String version)
      throws IOException {
    CommandSpec spec = cl.getCommandSpec();
    StringBuilder t = new StringBuilder();
    t.append(".TH ")
        .append(name.toUpperCase(Locale.ROOT))
        .append(" 1 \"\" \"heldar ")
        .append(version)
        .append("\" \"Heldar Manual\"\n");
    String[] description = spec.usageMessage().description();
    t.append(".SH NAME\n")
        .append(name.replace("-", "\\-"))
        .append(" \\- ")
        .append(escape(description.length > 0 ? description[0] : spec.name()))
        .append('\n');
    CommandLine.Help help =
        new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    t.append(".SH SYNOPSIS\n.nf\n").append(escape(help.synopsis(0).strip())).append("\n.fi\n");
    if (description.length > 1) {
      t.append(".SH DESCRIPTION\n");
      for (int i = 1; i < description.length; i++) {
        t.append(escape(description[i])).append('\n');
      }
    }
    if (!spec.positionalParameters().isEmpty()) {
      t.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : spec.positionalParameters()) {
        t.append(".TP\n\\fI")
            .append(escape(p.paramLabel()))
            .append("\\fR\n")
            .append(escape(String.join(" ", p.description())))
            .append('\n');
      }
    }
    if (!spec.options().isEmpty()) {
      t.append(".SH OPTIONS\n");
      for (OptionSpec o : spec.options()) {
        if (o.hidden()) {
          continue;
        }
        t.append(".TP\n\\fB").append(escape(String.join(", ", o.names()))).append("\\fR");
        if (o.arity().max() > 0) {
          t.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
        }
        t.append('\n').append(escape(String.join(" ", o.description()))).append('\n');
      }
    }
    if (!cl.getSubcommands().isEmpty()) {
      t.append(".SH COMMANDS\n");
      for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
        String[] d = sub.getValue().getCommandSpec().usageMessage().description();
        t.append(".TP\n\\fB")
            .append(escape(sub.getKey()))
            .append("\\fR\n")
            .append(escape(d.length > 0 ? d[0] : ""))
            .append('\n');
      }
    }
    Map<String, String> exits = spec.usageMessage().exitCodeList();
    if (!exits.isEmpty()) {
      t.append(".SH EXIT STATUS\n");
      exits.forEach((code, meaning) -> t.append(".TP\n")
          .append(escape(code.strip()))
          .append('\n')
          .append(escape(meaning))
          .append('\n'));
    }
    t.append(".SH SEE ALSO\n");
    if (!name.equals("heldar")) {
      t.append("\\fBheldar\\fR(1), ");
    }
    t.append("https://github.com/heldar-io/heldar-java\n");
    Files.writeString(man.resolve(name + ".1"), t.toString(), StandardCharsets.UTF_8);
    for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
      if (!sub.getKey().equals("help")) {
        page(man, sub.getValue(), name + "-" + sub.getKey(), version);
      }
    }
  }

  /** Text as troff: backslashes doubled, a leading dot or quote kept from being a request. */
  static String escape(String text) {
    String s = text.replace("\\", "\\e").replace("-", "\\-");
    StringBuilder out = new StringBuilder();
    for (String line : s.split("\n", -1)) {
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }
}
