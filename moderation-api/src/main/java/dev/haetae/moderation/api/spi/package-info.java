/**
 * The service-provider interfaces of Haetae: what a trust-and-safety engineer implements (policies,
 * signal providers) and what a deployment plugs in (stores, decision log, action executor,
 * pseudonymizer). Each interface states its thread-safety contract. Interfaces grow only by
 * {@code default} methods marked {@code @since}.
 */
package dev.haetae.moderation.api.spi;
