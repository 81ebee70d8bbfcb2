/**
 * Spring Boot 3.5 auto-configuration of Haetae: {@link
 * dev.haetae.moderation.spring.boot3.HaetaeAutoConfiguration} and the {@code haetae} health
 * indicator. For Spring Boot 4 use {@code moderation-spring-boot-starter}.
 *
 * @since 0.2
 */
package dev.haetae.moderation.spring.boot3;
