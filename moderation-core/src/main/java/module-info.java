/**
 * The engine and its embedded defaults: hashing and hash banks, reporter reputation, legal
 * clocks, the built-in policies, the decision log and the audit tools.
 *
 * <p>The pure decision step ({@code dev.haetae.moderation.core.decide}) is not exported: replay and
 * backtest reach it through the audit package, and hosts through the engine. Everything a host calls
 * or implements is in the exported packages; their implementation classes are package-private.
 */
module dev.haetae.moderation.core {
  requires transitive dev.haetae.moderation.api;
  requires transitive com.fasterxml.jackson.databind; // JsonNode in the DSA export's API
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  requires transitive java.desktop; // BufferedImage in the hasher's API
  requires java.net.http;
  requires java.xml;

  exports dev.haetae.moderation.core.audit;
  exports dev.haetae.moderation.core.banks;
  exports dev.haetae.moderation.core.effect;
  exports dev.haetae.moderation.core.engine;
  exports dev.haetae.moderation.core.hash;
  exports dev.haetae.moderation.core.legal;
  exports dev.haetae.moderation.core.policy;
  exports dev.haetae.moderation.core.reputation;
  exports dev.haetae.moderation.core.simulate;
  exports dev.haetae.moderation.core.store;
  exports dev.haetae.moderation.core.text;

  // policy plugins, discovered only when a host switches discovery on
  uses dev.haetae.moderation.api.spi.Policy;
  // sections of the policy configuration compiled by optional modules (moderation-rules)
  uses dev.haetae.moderation.core.policy.PolicyConfigSection;
}
