/**
 * Shared state for many backend instances on PostgreSQL: reputation, obligations, evidence holds,
 * strikes, the engine's memory, hash banks (the engine's bank of removed content among them) and the
 * decision log with its outbox; {@code HaetaePostgres.stores()} wires all of it into an engine.
 */
@SuppressWarnings("requires-automatic") // the PostgreSQL driver is an automatic module
module dev.haetae.moderation.postgres {
  requires transitive dev.haetae.moderation.core;
  requires transitive java.sql;
  requires com.fasterxml.jackson.databind;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.haetae.moderation.postgres;
}
