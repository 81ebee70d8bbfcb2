/**
 * Spring Boot 4 auto-configuration of Haetae: {@link
 * dev.haetae.moderation.spring.boot.HaetaeAutoConfiguration} and the {@code haetae} health
 * indicator. For Spring Boot 3.5 use {@code moderation-spring-boot3-starter}.
 *
 * @since 0.2
 */
package dev.haetae.moderation.spring.boot;
