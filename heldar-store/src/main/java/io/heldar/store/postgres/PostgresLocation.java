package io.heldar.store.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a PostgreSQL store lives, parsed from a URL: {@code postgresql://user:password@host:5432/db}
 * (also {@code postgres://}) or {@code jdbc:postgresql://host:5432/db?user=…&password=…}. The query
 * may name a schema ({@code currentSchema=heldar}, created on first open) and any other pgJDBC
 * connection property. Without a password in the URL, {@code PGPASSWORD} is used, then pgJDBC's own
 * {@code ~/.pgpass}; without a user, {@code PGUSER}, then the operating-system user.
 *
 * @param host the server's host
 * @param port the server's port
 * @param database the database name
 * @param user the role
 * @param password the password, if one is given (never printed)
 * @param schema the schema Heldar's tables live in, if not the role's default ({@code public})
 * @param properties other connection properties, passed to the driver unchanged
 */
public record PostgresLocation(
    String host,
    int port,
    String database,
    String user,
    Optional<String> password,
    Optional<String> schema,
    Map<String, String> properties) {
  /** The port when the URL names none. */
  public static final int DEFAULT_PORT = 5432;

  private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  /** Validates every component. */
  public PostgresLocation {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(schema, "schema");
    if (host.isBlank()) {
      throw new IllegalArgumentException("PostgreSQL URL names no host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("PostgreSQL port out of range: " + port);
    }
    if (database.isBlank()) {
      throw new IllegalArgumentException(
          "PostgreSQL URL names no database (postgresql://HOST:PORT/DATABASE)");
    }
    if (schema.isPresent() && !SCHEMA.matcher(schema.get()).matches()) {
      throw new IllegalArgumentException(
          "schema name must be letters, digits and _ (at most 63): " + schema.get());
    }
    properties = Map.copyOf(properties);
  }

  /** Whether {@code text} is a PostgreSQL URL (as opposed to a SQLite file). */
  public static boolean isUrl(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    return t.startsWith("postgresql://")
        || t.startsWith("postgres://")
        || t.startsWith("jdbc:postgresql://");
  }

  /**
   * Parses a URL.
   *
   * @throws IllegalArgumentException naming what is wrong (never echoing a password)
   */
  public static PostgresLocation parse(String url) {
    Objects.requireNonNull(url, "url");
    if (!isUrl(url)) {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (postgresql://USER@HOST:PORT/DATABASE): " + redact(url));
    }
    String rest = url.substring(url.indexOf("://") + 3);
    URI uri;
    try {
      uri = new URI("postgresql://" + rest);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "malformed PostgreSQL URL " + redact(url) + ": " + e.getReason());
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("PostgreSQL URL names no host: " + redact(url));
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        params.put(key, value);
      }
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String info = uri.getRawUserInfo();
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : decode(info.substring(colon + 1));
    }
    String userParam = params.remove("user");
    String passwordParam = params.remove("password");
    user = user != null && !user.isEmpty() ? user : userParam;
    password = password != null ? password : passwordParam;
    if (user == null || user.isEmpty()) {
      String env = System.getenv("PGUSER");
      user = env != null && !env.isEmpty() ? env : System.getProperty("user.name");
    }
    if (password == null) {
      password = System.getenv("PGPASSWORD");
    }
    String schema = params.remove("currentSchema");
    String path = uri.getPath() == null ? "" : uri.getPath();
    String database = path.startsWith("/") ? path.substring(1) : path;
    return new PostgresLocation(
        uri.getHost(),
        uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
        decode(database),
        user,
        Optional.ofNullable(password),
        Optional.ofNullable(schema).filter(s -> !s.isEmpty()),
        params);
  }

  /** The JDBC URL (no user, no password: those go in the connection properties). */
  public String jdbcUrl() {
    StringBuilder sb = new StringBuilder("jdbc:postgresql://")
        .append(host.contains(":") ? "[" + host + "]" : host)
        .append(':')
        .append(port)
        .append('/')
        .append(encode(database));
    char sep = '?';
    Map<String, String> all = new LinkedHashMap<>(properties);
    schema.ifPresent(s -> all.put("currentSchema", s));
    for (Map.Entry<String, String> e : all.entrySet()) {
      sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
      sep = '&';
    }
    return sb.toString();
  }

  /**
   * The pgJDBC connection properties of this location: its user and, when known, its password.
   * Callers add what they need (timeouts, an application name).
   */
  public java.util.Properties connectionProperties() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", user);
    password.ifPresent(p -> props.setProperty("password", p));
    return props;
  }

  /**
   * A plain JDBC connection to this location, outside any pool (administration, benchmarks,
   * tests); the caller closes it.
   */
  public java.sql.Connection connect() throws java.sql.SQLException {
    return java.sql.DriverManager.getConnection(jdbcUrl(), connectionProperties());
  }

  /** The location as messages name it: {@code postgresql://user@host:port/db}, with the schema; never the password. */
  public String describe() {
    return "postgresql://" + user + "@" + host + ":" + port + "/" + database
        + schema.map(s -> "?currentSchema=" + s).orElse("");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** {@code url} with any password replaced by {@code ***}, for messages. */
  public static String redact(String url) {
    return url.replaceAll("(://[^:/@?]*:)[^@/?]*@", "$1***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
