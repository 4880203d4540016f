package io.heldar.store.testing;

import io.heldar.store.postgres.PostgresLocation;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A login role of its own on a test database, so that one client (a node, a store) can be cut off
 * from the database alone: its login refused and its sessions ended, as when its network to the
 * database fails, then let back in.
 */
public final class CutOffRole {
  private final String adminUrl;
  private final String role;

  private CutOffRole(String adminUrl, String role) {
    this.adminUrl = adminUrl;
    this.role = role;
  }

  /** Creates a superuser role named {@code prefix} plus a unique suffix, on {@code adminUrl}'s server. */
  public static CutOffRole create(String adminUrl, String prefix) throws SQLException {
    CutOffRole r = new CutOffRole(adminUrl, prefix + Long.toString(System.nanoTime(), 36));
    r.admin("CREATE ROLE " + r.role + " LOGIN SUPERUSER");
    return r;
  }

  /** {@code adminUrl}, logging in as this role. */
  public String url() {
    return adminUrl.replaceFirst("postgresql://[^@]+@", "postgresql://" + role + "@");
  }

  /** Refuses the role's logins and ends its sessions. */
  public void cutOff() throws SQLException {
    admin("ALTER ROLE " + role + " NOLOGIN");
    admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
  }

  /** Lets the role log in again. */
  public void restore() throws SQLException {
    admin("ALTER ROLE " + role + " LOGIN");
  }

  private void admin(String sql) throws SQLException {
    try (Connection c = PostgresLocation.parse(adminUrl).connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
