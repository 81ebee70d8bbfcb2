/**
 * PostgreSQL adapters for deployments of many backend instances: the state that must be shared
 * (reporter reputation, open obligations and evidence holds, bank contents and versions, and one
 * decision-log order per shard) lives in one database, and every instance keeps its fast in-memory
 * indexes in step with it.
 *
 * <p>Start with {@link dev.haetae.moderation.postgres.HaetaePostgres}: it owns the connection pool,
 * applies the module's schema migrations, and hands out the adapters.
 *
 * @since 0.1
 */
package dev.haetae.moderation.postgres;
