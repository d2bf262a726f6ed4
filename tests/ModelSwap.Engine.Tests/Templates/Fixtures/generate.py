# Writes expected/*.txt: each case of cases.json rendered by the real Jinja2 the way Hugging Face's
# apply_chat_template renders it (trim_blocks, lstrip_blocks, loopcontrols, its tojson,
# raise_exception and strftime_now). The C# interpreter's tests compare against these files.
# Run: python3 generate.py   (needs the jinja2 package; the tests themselves do not)
import copy, datetime, json, pathlib
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.exceptions import TemplateError

here = pathlib.Path(__file__).parent
spec = json.loads((here / "cases.json").read_text(encoding="utf-8"))
now = datetime.datetime.fromisoformat(spec["now"].replace("Z", "+00:00"))

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

def raise_exception(message):
    raise TemplateError(message)

env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = lambda fmt: now.strftime(fmt)

for case in spec["cases"]:
    messages = copy.deepcopy(spec["conversations"][case["conversation"]])
    if case.get("string_arguments"):
        for m in messages:
            for call in m.get("tool_calls", []):
                call["function"]["arguments"] = json.dumps(call["function"]["arguments"])
    variables = dict(messages=messages, bos_token=spec["bos_token"], eos_token=spec["eos_token"],
                     add_generation_prompt=case.get("add_generation_prompt", True))
    if case.get("tools"):
        variables["tools"] = spec["tools"]
    variables.update(case.get("kwargs", {}))
    source = (here / (case["template"] + ".jinja")).read_text(encoding="utf-8")
    text = env.from_string(source).render(**variables)
    name = case["template"] + "." + case["conversation"]
    for k, v in sorted(case.get("kwargs", {}).items()):
        name += f".{k}={str(v).lower()}"
    if not case.get("add_generation_prompt", True):
        name += ".no-generation-prompt"
    (here / "expected" / (name + ".txt")).write_text(text, encoding="utf-8", newline="")
    print(name, len(text))
