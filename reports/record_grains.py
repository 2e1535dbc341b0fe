"""The grains over tables of their own, by key (``reports/grains.RecordGrain``)."""

from reports.icare_grain import ICARE_ITEM
from reports.referral_grain import REFERRAL, REFERRAL_FOLLOW_UP, TASK

RECORD_GRAINS = {grain.key: grain for grain in (REFERRAL, REFERRAL_FOLLOW_UP, TASK, ICARE_ITEM)}
