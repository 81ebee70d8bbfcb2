package dev.haetae.moderation.core.policy;

import dev.haetae.moderation.api.Category;
import dev.haetae.moderation.api.LegalGround;

/** Default terms-of-service grounds per category, used when no law is cited. */
final class Grounds {
  private Grounds() {}

  static LegalGround terms(Category c) {
    switch (c) {
      case NCII:
        return LegalGround.terms("ToS 3.1 (non-consensual intimate imagery)",
            "Sharing intimate images of a person without their consent is prohibited.");
      case SEXUAL_DEEPFAKE:
        return LegalGround.terms("ToS 3.2 (sexual deepfakes)",
            "Synthetic or manipulated sexual imagery of a real person is prohibited.");
      case CSAM:
        return LegalGround.law("18 U.S.C. 2258A; national CSAM laws",
            "Child sexual abuse material is illegal everywhere and must be reported.");
      case TERRORISM:
        return LegalGround.terms("ToS 3.4 (terrorist content)", "Terrorist content is prohibited.");
      case HARASSMENT:
        return LegalGround.terms("ToS 4.1 (harassment)", "Harassment of other users is prohibited.");
      case DOXXING:
        return LegalGround.terms("ToS 4.2 (doxxing)", "Publishing a person's identifying details is prohibited.");
      case SPAM:
        return LegalGround.terms("ToS 5.1 (spam)", "Spam and scams are prohibited.");
      default:
        return LegalGround.terms("ToS 6 (other violations)", "The content violates the terms of service.");
    }
  }

  static LegalGround repeat() {
    return LegalGround.terms("ToS 7.2 (repeated violations)",
        "Accounts that repeatedly share prohibited content lose features and may be suspended.");
  }

  static LegalGround room() {
    return LegalGround.terms("ToS 7.3 (rooms organised around prohibited content)",
        "Rooms used to collect or trade prohibited content may be restricted.");
  }

  static LegalGround weakEvidence(Category c) {
    LegalGround g = terms(c);
    return LegalGround.terms(g.citation(), g.explanation()
        + " The match is not certain, so the content is only limited until a person has looked at it.");
  }

  static String redress() {
    return "You can appeal this decision within 6 months through the in-app complaint form.";
  }
}
