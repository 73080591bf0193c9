"""A whole plan as one JSON document, and a new plan from such a document.

The document names things by local keys ("flow-1", "lane-1-2", "task-7"...) made from
their order, never by database ids, and holds no timestamps: exporting a plan, importing
the file and exporting the new plan gives the same bytes (with sorted keys). Positions
are the order of the lists. Users are not exported (accounts differ between
installations): the importing user owns the new plan.

Import reuses the product and scenario of the same name, and the stakeholder of the same
(name, organisation), when one exists; otherwise it creates them. The document is checked
entirely before anything is written; problems carry JSON paths such as
``tasks[3].duration``.
"""
import datetime
import json

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from onboarding.models import Flow, Lane, Metric, Plan, Product, Scenario, Step, validate_plan_date
from schedule.engine import cycle_text, find_cycle
from schedule.models import Baseline, BaselineTask, LinkType, Phase, ScheduleSettings, Task, TaskLink, WatchOut
from stakeholders.models import PlanStakeholder, Stakeholder

from . import MAX_ROWS, MAX_UPLOAD_BYTES, ImportFailed, Problem
from .bounds import NotFinite, load_json

#: The largest priority weight, as the schedule settings form allows.
MAX_WEIGHT = 1000
FORMAT = "paasport-plan"
VERSION = 1

PLAN_FIELDS = ["name", "status", "start_date", "target_launch_date", "summary"]
PRODUCT_FIELDS = ["name", "vendor_kind", "vendor_name", "category", "official_url", "api_docs_url", "console_url",
                  "description"]
SCENARIO_FIELDS = ["name", "kind", "business_model", "channel_chain", "channel_development", "products_distributed",
                   "business_model_notes", "pain_points", "service_strategy", "contact"]
FLOW_FIELDS = ["name", "need", "features"]
LANE_FIELDS = ["name", "kind"]
STEP_FIELDS = ["text"]
METRIC_FIELDS = ["name", "target", "unit"]
PERSON_FIELDS = ["name", "organisation", "department", "side", "role", "email", "phone"]
MEMBER_FIELDS = ["concerns", "modules", "relevance", "influence", "audience", "internal_notes", "capacity"]
PHASE_FIELDS = ["name"]
TASK_FIELDS = ["title", "description", "duration", "is_milestone", "is_launch", "start_no_earlier_than",
               "must_start_on", "deadline", "status", "percent_complete", "actual_start", "actual_finish",
               "priority_override", "visibility", "msproject_guid"]
WATCHOUT_FIELDS = ["text", "done"]
LINK_FIELDS = ["type", "lag"]
BASELINE_FIELDS = ["name", "launch_date"]
BASELINE_TASK_FIELDS = ["title", "start", "finish"]
REQUIRED = {"name", "title", "text", "start_date"}


# =========================================================================== export
def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _fields(obj, names):
    return {name: _plain(getattr(obj, name)) for name in names}


def export_document(plan):
    """The plan as a JSON-ready dict (see the module docstring)."""
    doc = {"format": FORMAT, "version": VERSION, "plan": _fields(plan, PLAN_FIELDS),
           "product": _fields(plan.product, PRODUCT_FIELDS),
           "scenario": _fields(plan.scenario, SCENARIO_FIELDS) if plan.scenario else None}

    step_keys, flow_keys = {}, {}
    flows = []
    for f_index, flow in enumerate(plan.flows.order_by("position", "id").prefetch_related("lanes", "steps",
                                                                                           "metrics"), start=1):
        flow_keys[flow.pk] = f"flow-{f_index}"
        lane_keys = {}
        lanes = []
        for l_index, lane in enumerate(sorted(flow.lanes.all(), key=lambda x: (x.position, x.pk)), start=1):
            lane_keys[lane.pk] = f"lane-{f_index}-{l_index}"
            lanes.append({"key": lane_keys[lane.pk], **_fields(lane, LANE_FIELDS)})
        steps = []
        for s_index, step in enumerate(sorted(flow.steps.all(), key=lambda x: (x.position, x.pk)), start=1):
            step_keys[step.pk] = f"step-{f_index}-{s_index}"
            steps.append({"key": step_keys[step.pk], "lane": lane_keys.get(step.lane_id),
                          **_fields(step, STEP_FIELDS)})
        metrics = [_fields(metric, METRIC_FIELDS)
                   for metric in sorted(flow.metrics.all(), key=lambda x: (x.position, x.pk))]
        flows.append({"key": flow_keys[flow.pk], **_fields(flow, FLOW_FIELDS), "lanes": lanes, "steps": steps,
                      "metrics": metrics})
    doc["flows"] = flows

    member_keys = {}
    people = []
    members = plan.plan_stakeholders.order_by("position", "id").select_related("stakeholder").prefetch_related("steps")
    for index, member in enumerate(members, start=1):
        member_keys[member.pk] = f"person-{index}"
        people.append({"key": member_keys[member.pk], **_fields(member.stakeholder, PERSON_FIELDS),
                       **_fields(member, MEMBER_FIELDS),
                       "steps": sorted((step_keys[s.pk] for s in member.steps.all() if s.pk in step_keys),
                                       key=_key_order)})
    doc["stakeholders"] = people

    phases = list(plan.phases.order_by("position", "id"))
    phase_keys = {phase.pk: f"phase-{i}" for i, phase in enumerate(phases, start=1)}
    doc["phases"] = [{"key": phase_keys[phase.pk], **_fields(phase, PHASE_FIELDS)} for phase in phases]

    rank = {phase.pk: i for i, phase in enumerate(phases)}
    tasks = sorted(plan.tasks.prefetch_related("watchouts"),
                   key=lambda t: (rank.get(t.phase_id, len(rank)), t.position, t.pk))
    task_keys = {task.pk: f"task-{i}" for i, task in enumerate(tasks, start=1)}
    doc["tasks"] = [{
        "key": task_keys[task.pk], "phase": phase_keys.get(task.phase_id), "owner": member_keys.get(task.owner_id),
        "related_flow": flow_keys.get(task.related_flow_id), **_fields(task, TASK_FIELDS),
        "watchouts": [_fields(item, WATCHOUT_FIELDS)
                      for item in sorted(task.watchouts.all(), key=lambda x: (x.position, x.pk))],
    } for task in tasks]
    order = {task.pk: i for i, task in enumerate(tasks)}
    links = TaskLink.objects.filter(successor__plan=plan)
    doc["links"] = [{"predecessor": task_keys[link.predecessor_id], "successor": task_keys[link.successor_id],
                     **_fields(link, LINK_FIELDS)}
                    for link in sorted(links, key=lambda x: (order[x.successor_id], order[x.predecessor_id]))]

    baselines = []
    for baseline in plan.baselines.order_by("created_at", "id").prefetch_related("tasks"):
        entries = sorted(baseline.tasks.all(), key=lambda e: (order.get(e.task_id, len(order)), e.title,
                                                              str(e.start), str(e.finish)))
        baselines.append({**_fields(baseline, BASELINE_FIELDS), "tasks": [
            {"task": task_keys.get(entry.task_id), **_fields(entry, BASELINE_TASK_FIELDS)} for entry in entries]})
    doc["baselines"] = baselines

    settings = ScheduleSettings.objects.filter(plan=plan).first()
    doc["schedule_settings"] = {
        "extra_days_off": sorted(settings.extra_days_off) if settings else [],
        "extra_working_days": sorted(settings.extra_working_days) if settings else [],
        "weights": dict(sorted((settings.weights or {}).items())) if settings else {},
    }
    return doc


def _key_order(key):
    return [int(part) if part.isdigit() else part for part in key.split("-")]


def export_json(plan):
    """The document as UTF-8 bytes, keys sorted so that equal plans give equal files."""
    return json.dumps(export_document(plan), ensure_ascii=False, indent=2, sort_keys=True).encode()


# =========================================================================== checking
class _Checker:
    def __init__(self):
        self.problems = []

    def add(self, path, message):
        self.problems.append(Problem(message, where=path))

    def obj(self, value, path, model, names, extra=()):
        """A dict with the model's fields cleaned (missing optional ones get their default)."""
        if not isinstance(value, dict):
            self.add(path, _("must be an object"))
            return None
        unknown = sorted(set(value) - set(names) - set(extra))
        for name in unknown:
            self.add(f"{path}.{name}" if path else name, _("unknown field"))
        cleaned = {}
        for name in names:
            field_path = f"{path}.{name}" if path else name
            field = model._meta.get_field(name)
            if name not in value:
                if name in REQUIRED:
                    self.add(field_path, _("is required"))
                else:
                    cleaned[name] = field.get_default()
                continue
            cleaned[name] = self.value(field, value[name], field_path)
        return cleaned

    def value(self, field, value, path):
        wrong_type = None
        if value is None:
            if not field.null:
                wrong_type = _("must not be null")
        elif isinstance(field, models.BooleanField):
            if not isinstance(value, bool):
                wrong_type = _("must be true or false")
        elif isinstance(field, models.IntegerField):
            if isinstance(value, bool) or not isinstance(value, int):
                wrong_type = _("must be a whole number")
        elif isinstance(field, models.DateField):
            if not isinstance(value, str):
                wrong_type = _("must be a date string YYYY-MM-DD")
            else:
                try:
                    value = datetime.date.fromisoformat(value)
                    validate_plan_date(value)
                except ValueError:
                    wrong_type = _("“%(value)s” is not a date YYYY-MM-DD") % {"value": value[:40]}
                except ValidationError as error:
                    wrong_type = error.messages[0]
        elif isinstance(field, models.JSONField):
            pass
        elif not isinstance(value, str):
            wrong_type = _("must be a string")
        if wrong_type:
            self.add(path, wrong_type)
            return None
        if value is None:
            return None
        try:
            return field.clean(value, None)
        except ValidationError as error:
            for message in error.messages:
                self.add(path, _bound_message(field, value, message))
            return None

    def items(self, value, path, limit=MAX_ROWS):
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, _("must be a list"))
            return []
        if len(value) > limit:
            self.add(path, _("more than %(max)s items") % {"max": limit})
            return []
        return value

    def key(self, value, path, seen):
        if not isinstance(value, str) or not value.strip():
            self.add(f"{path}.key", _("must be a non-empty string"))
            return None
        if value in seen:
            self.add(f"{path}.key", _("“%(key)s” is used twice") % {"key": value})
            return None
        seen.add(value)
        return value

    def ref(self, value, path, known, what):
        if value is None:
            return None
        if not isinstance(value, str) or value not in known:
            self.add(path, _("unknown %(what)s “%(key)s”") % {"what": what, "key": str(value)[:80]})
            return None
        return value


def _bound_message(field, value, message):
    """Django's validator messages, shortened to the ≥ / ≤ the schema speaks."""
    for validator in field.validators:
        limit = getattr(validator, "limit_value", None)
        if limit is None or not isinstance(value, (int, float)):
            continue
        if validator.code == "min_value" and value < limit:
            return _("must be ≥ %(limit)s") % {"limit": limit}
        if validator.code == "max_value" and value > limit:
            return _("must be ≤ %(limit)s") % {"limit": limit}
    return message


def _dates_list(checker, value, path):
    if not isinstance(value, list):
        checker.add(path, _("must be a list of dates"))
        return []
    out = []
    for i, item in enumerate(value):
        try:
            day = datetime.date.fromisoformat(item)
            validate_plan_date(day)
            out.append(day.isoformat())
        except (TypeError, ValueError):
            checker.add(f"{path}[{i}]", _("“%(value)s” is not a date YYYY-MM-DD") % {"value": str(item)[:40]})
        except ValidationError as error:
            checker.add(f"{path}[{i}]", error.messages[0])
    return out


def _nul_paths(value, path=""):
    """The paths of the strings (values or keys) holding a NUL character: PostgreSQL stores none."""
    if isinstance(value, str):
        return [path or "/"] if "\x00" in value else []
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            found += [inner] if "\x00" in key else _nul_paths(item, inner)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _nul_paths(item, f"{path}[{index}]")
    return found


def check_document(doc):
    """The document cleaned for import, or ImportFailed listing every problem with its path."""
    c = _Checker()
    nul = _nul_paths(doc)
    if nul:
        raise ImportFailed([Problem(_("holds a NUL character (\\0), which cannot be stored: remove it"),
                                    where=path.replace("\x00", "\\0")) for path in nul[:20]])
    if not isinstance(doc, dict):
        raise ImportFailed([Problem(_("The file must hold one JSON object (a Paasport plan export)."))])
    if doc.get("format") != FORMAT:
        raise ImportFailed([Problem(_("This is not a Paasport plan export (expected \"format\": \"%(format)s\").")
                                    % {"format": FORMAT}, where="format")])
    if doc.get("version") != VERSION:
        raise ImportFailed([Problem(_("Unsupported format version %(version)s: this site reads version %(ours)s.")
                                    % {"version": doc.get("version"), "ours": VERSION}, where="version")])
    known_top = {"format", "version", "plan", "product", "scenario", "flows", "stakeholders", "phases", "tasks",
                 "links", "baselines", "schedule_settings"}
    for name in sorted(set(doc) - known_top):
        c.add(name, _("unknown field"))
    out = {}
    out["plan"] = c.obj(doc.get("plan"), "plan", Plan, PLAN_FIELDS)
    if out["plan"] and out["plan"].get("start_date") and out["plan"].get("target_launch_date") and \
            out["plan"]["target_launch_date"] < out["plan"]["start_date"]:
        c.add("plan.target_launch_date", _("is before the start date"))
    out["product"] = c.obj(doc.get("product"), "product", Product, PRODUCT_FIELDS)
    out["scenario"] = None
    if doc.get("scenario") is not None:
        out["scenario"] = c.obj(doc["scenario"], "scenario", Scenario, SCENARIO_FIELDS)
        chain = (out["scenario"] or {}).get("channel_chain")
        if chain is not None and not (isinstance(chain, list) and all(isinstance(r, str) and r.strip() for r in chain)):
            c.add("scenario.channel_chain", _("must be a list of non-empty role names"))

    keys = set()
    lanes_of, steps = {}, set()
    out["flows"] = []
    for i, raw in enumerate(c.items(doc.get("flows"), "flows")):
        path = f"flows[{i}]"
        flow = c.obj(raw, path, Flow, FLOW_FIELDS, extra=("key", "lanes", "steps", "metrics"))
        if flow is None:
            continue
        flow["key"] = c.key(raw.get("key"), path, keys)
        flow_lanes = set()
        flow["lanes"], flow["steps"], flow["metrics"] = [], [], []
        for j, lane_raw in enumerate(c.items(raw.get("lanes"), f"{path}.lanes")):
            lane = c.obj(lane_raw, f"{path}.lanes[{j}]", Lane, LANE_FIELDS, extra=("key",))
            if lane is not None:
                lane["key"] = c.key(lane_raw.get("key"), f"{path}.lanes[{j}]", keys)
                flow_lanes.add(lane["key"])
                flow["lanes"].append(lane)
        for j, step_raw in enumerate(c.items(raw.get("steps"), f"{path}.steps")):
            step = c.obj(step_raw, f"{path}.steps[{j}]", Step, STEP_FIELDS, extra=("key", "lane"))
            if step is not None:
                step["key"] = c.key(step_raw.get("key"), f"{path}.steps[{j}]", keys)
                if step_raw.get("lane") is None:
                    c.add(f"{path}.steps[{j}].lane", _("is required"))
                step["lane"] = c.ref(step_raw.get("lane"), f"{path}.steps[{j}].lane", flow_lanes,
                                     _("lane of this flow"))
                steps.add(step["key"])
                flow["steps"].append(step)
        for j, metric_raw in enumerate(c.items(raw.get("metrics"), f"{path}.metrics")):
            metric = c.obj(metric_raw, f"{path}.metrics[{j}]", Metric, METRIC_FIELDS)
            if metric is not None:
                flow["metrics"].append(metric)
        lanes_of[flow["key"]] = flow_lanes
        out["flows"].append(flow)
    flows = set(lanes_of)

    people, identities = set(), {}
    out["stakeholders"] = []
    for i, raw in enumerate(c.items(doc.get("stakeholders"), "stakeholders")):
        path = f"stakeholders[{i}]"
        if not isinstance(raw, dict):
            c.add(path, _("must be an object"))
            continue
        person = c.obj({k: raw[k] for k in PERSON_FIELDS if k in raw}, path, Stakeholder, PERSON_FIELDS)
        member = c.obj({k: v for k, v in raw.items() if k not in PERSON_FIELDS}, path, PlanStakeholder,
                       MEMBER_FIELDS, extra=("key", "steps"))
        if person is None or member is None:
            continue
        key = c.key(raw.get("key"), path, keys)
        people.add(key)
        identity = (person.get("name"), person.get("organisation"))
        if identity in identities:
            c.add(path, _("same name and organisation as stakeholders[%(other)s]") % {"other": identities[identity]})
        identities[identity] = i
        step_refs = [c.ref(ref, f"{path}.steps[{j}]", steps, _("step"))
                     for j, ref in enumerate(c.items(raw.get("steps"), f"{path}.steps"))]
        out["stakeholders"].append({"key": key, "person": person, "member": member,
                                    "steps": [ref for ref in step_refs if ref]})

    phases = set()
    out["phases"] = []
    for i, raw in enumerate(c.items(doc.get("phases"), "phases")):
        phase = c.obj(raw, f"phases[{i}]", Phase, PHASE_FIELDS, extra=("key",))
        if phase is not None:
            phase["key"] = c.key(raw.get("key"), f"phases[{i}]", keys)
            phases.add(phase["key"])
            out["phases"].append(phase)

    tasks, titles = [], {}
    out["tasks"] = []
    for i, raw in enumerate(c.items(doc.get("tasks"), "tasks")):
        path = f"tasks[{i}]"
        task = c.obj(raw, path, Task, TASK_FIELDS, extra=("key", "phase", "owner", "related_flow", "watchouts"))
        if task is None:
            continue
        task["key"] = c.key(raw.get("key"), path, keys)
        task["phase"] = c.ref(raw.get("phase"), f"{path}.phase", phases, _("phase"))
        task["owner"] = c.ref(raw.get("owner"), f"{path}.owner", people, _("stakeholder"))
        task["related_flow"] = c.ref(raw.get("related_flow"), f"{path}.related_flow", flows, _("flow"))
        if task.get("is_milestone") and task.get("duration"):
            c.add(f"{path}.duration", _("must be 0 for a milestone"))
        if task.get("is_launch"):
            if not task.get("is_milestone"):
                c.add(f"{path}.is_launch", _("only a milestone can be the plan's launch"))
            elif any(other.get("is_launch") for other in out["tasks"]):
                c.add(f"{path}.is_launch", _("another task is already the plan's launch milestone"))
        if task.get("status") == Task.Status.DONE and task.get("percent_complete") not in (None, 100):
            c.add(f"{path}.percent_complete", _("must be 100 for a done task"))
        if task.get("must_start_on") and task.get("start_no_earlier_than"):
            c.add(f"{path}.must_start_on", _("a task has either a fixed start or a start no earlier than, not both"))
        if task.get("actual_start") and task.get("actual_finish") and task["actual_finish"] < task["actual_start"]:
            c.add(f"{path}.actual_finish", _("is before the actual start"))
        task["watchouts"] = [c.obj(item, f"{path}.watchouts[{j}]", WatchOut, WATCHOUT_FIELDS)
                             for j, item in enumerate(c.items(raw.get("watchouts"), f"{path}.watchouts"))]
        if task["key"]:
            tasks.append(task["key"])
            titles[task["key"]] = task.get("title") or task["key"]
        out["tasks"].append(task)
    task_set = set(tasks)

    out["links"], pairs = [], set()
    for i, raw in enumerate(c.items(doc.get("links"), "links", limit=MAX_ROWS * 10)):
        path = f"links[{i}]"
        link = c.obj(raw, path, TaskLink, LINK_FIELDS, extra=("predecessor", "successor"))
        if link is None:
            continue
        ends = []
        for end in ("predecessor", "successor"):
            if raw.get(end) is None:
                c.add(f"{path}.{end}", _("is required"))
            ends.append(c.ref(raw.get(end), f"{path}.{end}", task_set, _("task")))
        if None in ends:
            continue
        if ends[0] == ends[1]:
            c.add(path, _("a task cannot depend on itself"))
        elif tuple(ends) in pairs:
            c.add(path, _("the same link appears twice"))
        else:
            pairs.add(tuple(ends))
            link["predecessor"], link["successor"] = ends
            out["links"].append(link)
    if not c.problems:
        cycle = find_cycle(tasks, [(link["predecessor"], link["successor"]) for link in out["links"]])
        if cycle:
            c.add("links", _("these links form a cycle: %(cycle)s") % {"cycle": cycle_text(cycle, titles)})

    out["baselines"], baseline_names = [], set()
    for i, raw in enumerate(c.items(doc.get("baselines"), "baselines")):
        path = f"baselines[{i}]"
        baseline = c.obj(raw, path, Baseline, BASELINE_FIELDS, extra=("tasks",))
        if baseline is None:
            continue
        if baseline.get("name") in baseline_names:
            c.add(f"{path}.name", _("two baselines have this name"))
        baseline_names.add(baseline.get("name"))
        baseline["tasks"], used = [], set()
        for j, entry_raw in enumerate(c.items(raw.get("tasks"), f"{path}.tasks")):
            entry = c.obj(entry_raw, f"{path}.tasks[{j}]", BaselineTask, BASELINE_TASK_FIELDS, extra=("task",))
            if entry is None:
                continue
            entry["task"] = c.ref(entry_raw.get("task"), f"{path}.tasks[{j}].task", task_set, _("task"))
            if entry["task"] and entry["task"] in used:
                c.add(f"{path}.tasks[{j}].task", _("this task appears twice in the baseline"))
            used.add(entry["task"])
            baseline["tasks"].append(entry)
        out["baselines"].append(baseline)

    settings = doc.get("schedule_settings") or {}
    if not isinstance(settings, dict):
        c.add("schedule_settings", _("must be an object"))
        settings = {}
    for name in sorted(set(settings) - {"extra_days_off", "extra_working_days", "weights"}):
        c.add(f"schedule_settings.{name}", _("unknown field"))
    weights = settings.get("weights") or {}
    if not isinstance(weights, dict) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in weights.values()):
        c.add("schedule_settings.weights", _("must map weight names to numbers"))
        weights = {}
    for name, weight in sorted(weights.items()):
        if not 0 <= weight <= MAX_WEIGHT:  # as the schedule settings form allows
            c.add(f"schedule_settings.weights.{name}", _("must be between 0 and %(max)s") % {"max": MAX_WEIGHT})
    out["schedule_settings"] = {
        "extra_days_off": _dates_list(c, settings.get("extra_days_off", []), "schedule_settings.extra_days_off"),
        "extra_working_days": _dates_list(c, settings.get("extra_working_days", []),
                                          "schedule_settings.extra_working_days"),
        "weights": weights,
    }
    if c.problems:
        raise ImportFailed(c.problems)
    return out


def parse(data):
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFailed([Problem(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})])
    try:
        return load_json(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFailed([Problem(_("The file is not UTF-8 text: is it really a JSON export?"))]) from None
    except json.JSONDecodeError as error:
        raise ImportFailed([Problem(_("Not valid JSON: %(error)s (line %(line)s, column %(column)s).")
                                    % {"error": error.msg, "line": error.lineno, "column": error.colno})]) from None
    except RecursionError:
        raise ImportFailed([Problem(_("The JSON is nested too deeply."))]) from None
    except NotFinite as error:
        raise ImportFailed([Problem(_("Not valid JSON: %(error)s") % {"error": error})]) from None
    except ValueError:  # Python refuses to read an integer of more than 4,300 digits
        raise ImportFailed([Problem(_("Not valid JSON: a number has more than %(digits)s digits.")
                                    % {"digits": "4,300"})]) from None


# =========================================================================== import
@transaction.atomic
def import_plan(data, *, owner, workspace):
    """A new plan in ``workspace`` from a JSON export, owned by ``owner``, all or nothing. Its
    product, scenario and people are the workspace's of the same names, or new ones in it: never
    another workspace's. Returns the plan."""
    doc = check_document(parse(data))
    product = Product.objects.filter(workspace=workspace, name=doc["product"]["name"]).order_by("pk").first()
    if product is None:
        product = Product.objects.create(workspace=workspace, **doc["product"])
    scenario = None
    if doc["scenario"]:
        scenario = Scenario.objects.filter(workspace=workspace, name=doc["scenario"]["name"]).order_by("pk").first()
        if scenario is None:
            scenario = Scenario.objects.create(workspace=workspace, **doc["scenario"])
    plan = Plan.objects.create(workspace=workspace, owner=owner, product=product, scenario=scenario, **doc["plan"])

    flows, lanes, steps = {}, {}, {}
    for f_pos, item in enumerate(doc["flows"]):
        flow = Flow.objects.create(plan=plan, position=f_pos, **{k: item[k] for k in FLOW_FIELDS})
        flows[item["key"]] = flow
        for pos, lane in enumerate(item["lanes"]):
            lanes[lane["key"]] = Lane.objects.create(flow=flow, position=pos, **{k: lane[k] for k in LANE_FIELDS})
        for pos, step in enumerate(item["steps"]):
            steps[step["key"]] = Step.objects.create(flow=flow, lane=lanes[step["lane"]], position=pos,
                                                     text=step["text"])
        Metric.objects.bulk_create(Metric(flow=flow, position=pos, **metric) for pos, metric in
                                   enumerate(item["metrics"]))

    members = {}
    for pos, item in enumerate(doc["stakeholders"]):
        person = item["person"]
        stakeholder = Stakeholder.objects.filter(workspace=workspace, name=person["name"],
                                                 organisation=person["organisation"]) \
            .order_by("pk").first()
        if stakeholder is None:
            stakeholder = Stakeholder.objects.create(workspace=workspace, **person)
        member = PlanStakeholder.objects.create(plan=plan, stakeholder=stakeholder, position=pos, **item["member"])
        member.steps.set([steps[key] for key in item["steps"]])
        members[item["key"]] = member

    phases = {item["key"]: Phase.objects.create(plan=plan, name=item["name"], position=pos)
              for pos, item in enumerate(doc["phases"])}
    tasks, positions, watchouts = {}, {}, []
    for item in doc["tasks"]:
        position = positions.get(item["phase"], 0)
        positions[item["phase"]] = position + 1
        task = Task.objects.create(plan=plan, phase=phases.get(item["phase"]), owner=members.get(item["owner"]),
                                   related_flow=flows.get(item["related_flow"]), position=position,
                                   **{k: item[k] for k in TASK_FIELDS})
        tasks[item["key"]] = task
        watchouts += [WatchOut(task=task, position=pos, **watchout) for pos, watchout in enumerate(item["watchouts"])]
    WatchOut.objects.bulk_create(watchouts)
    TaskLink.objects.bulk_create(TaskLink(predecessor=tasks[link["predecessor"]], successor=tasks[link["successor"]],
                                          type=link["type"] or LinkType.FS, lag=link["lag"] or 0)
                                 for link in doc["links"])
    for item in doc["baselines"]:
        baseline = Baseline.objects.create(plan=plan, name=item["name"], launch_date=item["launch_date"],
                                           created_by=owner)
        BaselineTask.objects.bulk_create(BaselineTask(baseline=baseline, task=tasks.get(entry["task"]),
                                                      title=entry["title"], start=entry["start"],
                                                      finish=entry["finish"]) for entry in item["tasks"])
    ScheduleSettings.objects.update_or_create(plan=plan, defaults=doc["schedule_settings"])
    return plan
