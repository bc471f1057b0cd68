"""Credit: records about market entities imported from their sources (`records`), the credit-risk classification
and its manual adjustments (`classes`), the platform's own 经营异常名录 and 严重违法失信名单 (`lists`) and credit
repair (`repair`); this package is the app's door for them."""

from __future__ import annotations

from .classes import (
    AdjustmentStatus,
    ClassAdjustment,
    ClassificationRun,
    EntityClass,
    RunStatus,
    Scorecard,
    WhatIf,
    WhatIfStatus,
)
from .lists import (
    AbnormalEntry,
    AbnormalReason,
    AbnormalRepair,
    AbnormalStatus,
    SeriousBasis,
    SeriousEntry,
    SeriousStatus,
    SeriousStep,
)
from .records import CreditImport, CreditKind, CreditRecord
from .repair import (
    PublicationEnd,
    RepairApplication,
    RepairAttachment,
    RepairChannel,
    RepairPolicy,
    RepairStatus,
)

__all__ = ["AbnormalEntry", "AbnormalReason", "AbnormalRepair", "AbnormalStatus", "AdjustmentStatus",
           "ClassAdjustment", "ClassificationRun", "CreditImport", "CreditKind", "CreditRecord", "EntityClass",
           "PublicationEnd", "RepairApplication", "RepairAttachment", "RepairChannel", "RepairPolicy", "RepairStatus",
           "RunStatus", "Scorecard", "SeriousBasis", "SeriousEntry", "SeriousStatus", "SeriousStep", "WhatIf",
           "WhatIfStatus"]
