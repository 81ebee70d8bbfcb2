package dev.haetae.moderation.api.observe;

import dev.haetae.moderation.api.ObligationEvent;
import dev.haetae.moderation.api.PolicyFailure;
import java.util.List;
import java.util.Objects;

/** The listener {@link EngineListener#composite} returns for two or more listeners. */
final class CompositeListener implements EngineListener {
  private final List<EngineListener> all;

  CompositeListener(List<EngineListener> all) {
    this.all = all;
  }

  private interface Call {
    void on(EngineListener l);
  }

  private void each(Call call) {
    RuntimeException first = null;
    for (EngineListener l : all) {
      try {
        call.on(l);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * The listeners, in call order.
   *
   * @return an unmodifiable list; never null
   */
  public List<EngineListener> listeners() {
    return all;
  }

  @Override
  public void evaluated(Evaluation evaluation) {
    each(l -> l.evaluated(evaluation));
  }

  @Override
  public void evaluationFailed(EvaluationFailure failure) {
    each(l -> l.evaluationFailed(failure));
  }

  @Override
  public void policyFailed(PolicyFailure failure, boolean shadow) {
    each(l -> l.policyFailed(failure, shadow));
  }

  @Override
  public void bankChanged(BankChange change) {
    each(l -> l.bankChanged(change));
  }

  @Override
  public void obligationEvent(ObligationEvent event) {
    each(l -> l.obligationEvent(event));
  }

  @Override
  public void logBatchWritten(LogBatch batch) {
    each(l -> l.logBatchWritten(batch));
  }

  @Override
  public String toString() {
    return "EngineListener.composite" + all;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompositeListener && ((CompositeListener) o).all.equals(all);
  }

  @Override
  public int hashCode() {
    return Objects.hash(all);
  }
}
