/**
 * The {@code haetae.*} configuration without any framework: {@link
 * dev.haetae.moderation.spring.HaetaeProperties} (what a binder fills), {@link
 * dev.haetae.moderation.spring.HaetaeSettings} (validated, naming the property of each problem),
 * {@link dev.haetae.moderation.spring.HaetaeSetup} (banks, profiles, policies and PostgreSQL opened,
 * handed to the engine's builder) and {@link dev.haetae.moderation.spring.HaetaeHealth}. The Spring
 * Boot 4 and 3.5 starters bind and wire these; see the Spring Boot guide.
 *
 * @since 0.2
 */
package dev.haetae.moderation.spring;
