"""What apps above this one hear of, without this app importing them."""
from django.dispatch import Signal

# Sent by ``services.plan_move`` inside its transaction, under the plan lock, once the plan, its
# product, scenario and people are in the new workspace. Arguments: ``plan`` (moved),
# ``old_product`` (the product it had: ``plan.product`` is the same row, or a copy the old team
# does not have), ``workspace`` (the new one) and ``people`` ({old person id: the person who
# stands for them in the new workspace}). A receiver moves what its app keeps of the plan and may
# return a sentence for the person who moved it.
plan_moved = Signal()
