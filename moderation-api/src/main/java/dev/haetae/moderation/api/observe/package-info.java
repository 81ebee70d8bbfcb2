/**
 * Observing a running engine without a metrics library in core: the {@link
 * dev.haetae.moderation.api.observe.EngineListener} SPI and the immutable events it receives.
 *
 * <p>The engine calls a listener on the thread that did the work, after the work is done and
 * outside the decision log's critical section. A listener's exception is caught and counted; it
 * never fails a decision. An engine built without a listener measures nothing. Adapters (for
 * instance {@code moderation-micrometer}) turn the events into metrics; the interface grows only by
 * {@code default} methods marked {@code @since}.
 *
 * @since 0.2
 */
package dev.haetae.moderation.api.observe;
