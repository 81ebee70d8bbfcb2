/**
 * Haetae's public model and service-provider interfaces: the requests, evidence, signals and
 * decisions a host and its policies see, and the interfaces of policies, signal providers, stores,
 * decision logs and action executors. Depends on the JDK only.
 */
module dev.haetae.moderation.api {
  exports dev.haetae.moderation.api;
  exports dev.haetae.moderation.api.observe;
  exports dev.haetae.moderation.api.spi;
}
