/**
 * The part of the Spring Boot auto-configuration that is the same on every Boot line: {@link
 * dev.haetae.moderation.spring.autoconfigure.HaetaeEngineConfiguration}, imported by each starter's
 * {@code HaetaeAutoConfiguration}, which adds only what names Boot's version-specific packages (the
 * health indicator). The only package of this module that uses Spring.
 *
 * @since 0.2
 */
package dev.haetae.moderation.spring.autoconfigure;
