package io.heldar.examples.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code heldar run --config heldar.yml}: a YAML file whose keys are {@code run}'s long option names
 * without the dashes ({@code db: …}, {@code max-age: 30d}, {@code pin: {cam-a: box-1}}), and
 * environment variables {@code HELDAR_<OPTION>} ({@code HELDAR_MAX_AGE=7d}) that override it; an
 * option on the command line overrides both. Unknown keys are an error naming the key and the line.
 * The file and the environment become command-line options placed before the real ones, so every
 * option is checked by the same rules whichever way it came.
 */
final class ConfigFile {
  /** The option that names the file. */
  static final String OPTION = "--config";
  /** The prefix of the environment variables. */
  static final String ENV_PREFIX = "HELDAR_";

  private ConfigFile() {}

  /** A mistake in the file: its line and what is wrong. */
  static final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }

  /**
   * {@code args} (a {@code run} command line, its first element {@code "run"}) with the config file
   * (if {@code --config FILE} is among them) and the environment expanded in front of the
   * options the command line does not give itself.
   *
   * @param env the environment ({@code System::getenv})
   * @throws ConfigException for an unreadable file, bad YAML, or a key {@code run} does not have
   */
  static String[] expand(String[] args, CommandSpec run, UnaryOperator<String> env) {
    Path file = null;
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        file = Path.of(args[i + 1]);
      } else if (args[i].startsWith(OPTION + "=")) {
        file = Path.of(args[i].substring(OPTION.length() + 1));
      }
    }
    Set<String> onCommandLine = new TreeSet<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        String name = args[i].contains("=") ? args[i].substring(0, args[i].indexOf('=')) : args[i];
        OptionSpec o = run.findOption(name);
        if (o != null) {
          onCommandLine.add(o.longestName());
        }
      }
    }
    // option name -> its arguments, the file's first, then the environment's over them
    Map<String, List<String>> given = new LinkedHashMap<>();
    if (file != null) {
      given.putAll(read(file, run));
    }
    for (OptionSpec o : run.options()) {
      String name = o.longestName();
      if (!name.startsWith("--") || name.equals(OPTION)) {
        continue;
      }
      String value =
          env.apply(ENV_PREFIX + name.substring(2).replace('-', '_').toUpperCase(Locale.ROOT));
      if (value != null && !value.isEmpty()) {
        given.put(name, asArguments(o, List.of(value)));
      }
    }
    List<String> out = new ArrayList<>();
    out.add(args[0]);
    given.forEach((name, values) -> {
      if (!onCommandLine.contains(name)) {
        out.addAll(values);
      }
    });
    out.addAll(List.of(args).subList(1, args.length));
    return out.toArray(String[]::new);
  }

  /** The file's options, as arguments, in the file's order. */
  private static Map<String, List<String>> read(Path file, CommandSpec run) {
    Node root;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      LoaderOptions limits = new LoaderOptions();
      limits.setMaxAliasesForCollections(10);
      limits.setCodePointLimit(1 << 20);
      root = new Yaml(limits).compose(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage());
    } catch (YAMLException e) {
      throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (root == null) {
      return out; // an empty file
    }
    if (!(root instanceof MappingNode top)) {
      throw new ConfigException(
          where(file, root) + ": the file must be a mapping of option: value");
    }
    for (NodeTuple t : top.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode keyNode)) {
        throw new ConfigException(where(file, t.getKeyNode()) + ": a key must be a plain name");
      }
      String key = keyNode.getValue();
      OptionSpec o =
          key.startsWith("-") || key.equals("config") ? null : run.findOption("--" + key);
      if (o == null) {
        throw new ConfigException(where(file, keyNode) + ": unknown key '" + key
            + "' (the keys are heldar run's options without the dashes; see docs/operations.md)");
      }
      if (out.containsKey(o.longestName())) {
        throw new ConfigException(where(file, keyNode) + ": key '" + key + "' given twice");
      }
      out.put(o.longestName(), asArguments(o, values(file, key, t.getValueNode(), o)));
    }
    return out;
  }

  /** A value node as the option's values: a scalar, a list of scalars, or (for a map) key=value. */
  private static List<String> values(Path file, String key, Node value, OptionSpec o) {
    List<String> out = new ArrayList<>();
    if (value instanceof ScalarNode s && s.getTag().equals(org.yaml.snakeyaml.nodes.Tag.NULL)) {
      throw new ConfigException(where(file, value) + ": '" + key + "' has no value (a YAML null:"
          + " ~, null or nothing); give one, or leave the key out");
    } else if (value instanceof ScalarNode s) {
      out.add(s.getValue());
    } else if (value instanceof SequenceNode seq && o.isMultiValue()) {
      for (Node n : seq.getValue()) {
        if (!(n instanceof ScalarNode s)) {
          throw new ConfigException(where(file, n) + ": '" + key + "' wants plain values");
        }
        out.add(s.getValue());
      }
    } else if (value instanceof MappingNode map && Map.class.isAssignableFrom(o.type())) {
      for (NodeTuple t : map.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)
            || !(t.getValueNode() instanceof ScalarNode v)) {
          throw new ConfigException(
              where(file, t.getKeyNode()) + ": '" + key + "' wants a mapping of plain values");
        }
        out.add(k.getValue() + "=" + v.getValue());
      }
    } else {
      throw new ConfigException(where(file, value) + ": '" + key + "' wants "
          + (Map.class.isAssignableFrom(o.type())
              ? "a mapping"
              : o.isMultiValue() ? "a value or a list" : "one value"));
    }
    return out;
  }

  /** The option's values as command-line arguments (a flag is given when its value is true). */
  private static List<String> asArguments(OptionSpec o, List<String> values) {
    List<String> out = new ArrayList<>();
    boolean flag = o.arity().max() == 0;
    for (String v : values) {
      if (flag) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          throw new ConfigException(o.longestName() + " is a flag: true or false, not '" + v + "'");
        }
        if (v.equalsIgnoreCase("true")) {
          out.add(o.longestName());
        }
      } else {
        out.add(o.longestName());
        out.add(v);
      }
    }
    return out;
  }

  private static String where(Path file, Node n) {
    return file + ":" + (n.getStartMark().getLine() + 1);
  }
}
