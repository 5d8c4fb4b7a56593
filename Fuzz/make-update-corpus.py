#!/usr/bin/env python3
"""Writes Fuzz/Corpus/update/*.json: real-shaped Telegram updates generated from Bot API 10.1 as
data (../shared/telegram/bot-api-10.1.json): every Update field, every Message field (content
kinds and service messages) in a private chat, a group, a supergroup and a channel, and each
union type's every subtype. Run from the repository root; the output is committed and is the
seed corpus of the update fuzz target and of its regression test."""
import json, os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
schema_path = os.path.join(root, "..", "shared", "telegram", "bot-api-10.1.json")
api = json.load(open(schema_path))
types = api["types"]
out = os.path.join(root, "Fuzz", "Corpus", "update")
os.makedirs(out, exist_ok=True)
for name in os.listdir(out):
    os.remove(os.path.join(out, name))

CHATS = {
    "private": {"id": 4242, "type": "private", "first_name": "Ann", "username": "ann"},
    "group": {"id": -4242, "type": "group", "title": "Study group"},
    "supergroup": {"id": -1004242, "type": "supergroup", "title": "Study supergroup", "is_forum": True},
    "channel": {"id": -1009999, "type": "channel", "title": "Course news", "username": "coursenews"},
}
USER = {"id": 4242, "is_bot": False, "first_name": "Ann", "username": "ann", "language_code": "en"}

def string_for(field):
    text = " ".join(field.get("description", "")) if isinstance(field.get("description"), list) else field.get("description", "")
    always = re.search(r'always \u201c([^\u201d]+)\u201d|always "([^"]+)"', text)
    if always:
        return always.group(1) or always.group(2)
    choice = re.search(r'(?:can be|one of|either)[^"\u201c]*["\u201c]([^"\u201d]+)["\u201d]', text)
    if choice:
        return choice.group(1)
    name = field["name"]
    if name.endswith("file_id"):
        return "AgACAgIAAxkBAAIB" + name
    if name.endswith("unique_id"):
        return "AQADuniq"
    if name == "currency":
        return "XTR"
    if name in ("data", "callback_data"):
        return "v1|s|0|abc"
    if name.endswith("url"):
        return "https://example.com/" + name
    return "text of " + name

def integer_for(field):
    name = field["name"]
    if name == "date" or name.endswith("_date"):
        return 1764547200
    if name in ("id", "user_id", "chat_id") or name.endswith("_id"):
        return 4242
    return 3

def value(type_name, field, depth, variant=0):
    if type_name.startswith("Array of "):
        inner = type_name[len("Array of "):]
        return [value(inner, field, depth + 1, variant)]
    if type_name == "Integer":
        return integer_for(field)
    if type_name == "Float":
        return 1.5
    if type_name == "Boolean":
        return True
    if type_name == "True":
        return True
    if type_name == "String":
        return string_for(field)
    if type_name == "Chat":
        return dict(CHATS["private"])
    if type_name == "User":
        return dict(USER)
    spec = types.get(type_name)
    if spec is None:
        return {}
    if "subtypes" in spec:
        subtypes = spec["subtypes"]
        return value(subtypes[variant % len(subtypes)], field, depth, 0)
    obj = {}
    for f in spec.get("fields", []):
        if f.get("required") or (depth == 0 and variant == -1):
            obj[f["name"]] = value(f["types"][0], f, depth + 1)
    return obj

def message(chat_kind, extra):
    m = {"message_id": 17, "date": 1764547200, "chat": dict(CHATS[chat_kind])}
    if chat_kind != "channel":
        m["from"] = dict(USER)
    else:
        m["sender_chat"] = dict(CHATS["channel"])
    m.update(extra)
    return m

count = 0
def write(name, update):
    global count
    count += 1
    update = dict(update)
    update["update_id"] = 900000 + count
    with open(os.path.join(out, f"{count:04d}-{name}.json"), "w") as f:
        json.dump(update, f, ensure_ascii=False, sort_keys=True)

update_fields = [f for f in types["Update"]["fields"] if f["name"] != "update_id"]
message_fields = [f for f in types["Message"]["fields"] if f["name"] not in ("message_id", "date", "chat", "from", "sender_chat")]
message_updates = {"message": "private", "edited_message": "private", "channel_post": "channel", "edited_channel_post": "channel",
                   "business_message": "private", "edited_business_message": "private"}

# Every Update field, its object with required fields only, and with every field of its type.
for f in update_fields:
    type_name = f["types"][0]
    if f["name"] in message_updates:
        for kind in CHATS:
            write(f"{f['name']}-{kind}-text", {f["name"]: message(kind, {"text": "Hello"})})
        continue
    write(f"{f['name']}-required", {f["name"]: value(type_name, f, 0)})
    write(f"{f['name']}-full", {f["name"]: value(type_name, f, 0, variant=-1)})

# Every Message field (content kinds, service messages, metadata) in each kind of chat.
for f in message_fields:
    type_name = f["types"][0]
    for kind in CHATS:
        extra = {f["name"]: value(type_name, f, 1)}
        if f["name"] in ("caption", "caption_entities", "show_caption_above_media", "has_media_spoiler"):
            extra["photo"] = [value("PhotoSize", {"name": "photo"}, 2)]
        write(f"message-{f['name']}-{kind}", {"message": message(kind, extra)})

# Each subtype of each union type reachable from a message (origins, reactions, paid media...).
for type_name, spec in types.items():
    if "subtypes" not in spec:
        continue
    holders = [(f["name"], t) for f in types["Message"]["fields"] for t in f["types"] if t == type_name or t == "Array of " + type_name]
    for index, subtype in enumerate(spec["subtypes"]):
        if holders:
            name, holder_type = holders[0]
            v = value(subtype, {"name": name}, 1)
            write(f"message-{name}-{subtype}", {"message": message("private", {name: [v] if holder_type.startswith("Array of ") else v})})

# A callback query on an inaccessible message, and on a message in a group.
write("callback_query-inaccessible", {"callback_query": {"id": "q1", "from": USER, "chat_instance": "1",
      "data": "v1|s|0|abc", "message": {"chat": CHATS["private"], "message_id": 5, "date": 0}}})
write("callback_query-group", {"callback_query": {"id": "q2", "from": USER, "chat_instance": "2",
      "data": "v1|n|1|def", "message": message("group", {"text": "Quiz"})}})
print(f"wrote {count} updates to {os.path.relpath(out, root)}")
