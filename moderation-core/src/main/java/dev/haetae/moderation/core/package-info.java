/**
 * The Haetae moderation engine and its embedded defaults. Start from
 * {@code dev.haetae.moderation.core.engine.ModerationEngine#builder()}.
 */
package dev.haetae.moderation.core;
