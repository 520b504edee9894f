#!/usr/bin/env python3
"""What the JVM's threads were blocked on during the demo's frame gaps, from a Java Flight Recording.

Record with  EXTRA_JAVA_OPTS="-XX:StartFlightRecording=filename=RUN.jfr,settings=default" tools/measure/measure-ui.sh RUN.png
(the default settings record parks, monitor waits and monitor contention of 20 ms or more), then

  jfr-gaps.py RUN.log RUN.jfr     each gap > 50 ms of the run with the waits of 5 ms or more that overlap it,
                                  leaving out the idle ones (pools waiting for work, reference queues)
"""
import datetime
import importlib.util
import json
import os
import re
import subprocess
import sys

spec = importlib.util.spec_from_file_location(
    "cpu_steal", os.path.join(os.path.dirname(os.path.abspath(__file__)), "cpu-steal.py"))
cpu_steal = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cpu_steal)

IDLE = ("ConditionObject", "SynchronousQueue", "ReferenceQueue", "CountDownLatch")


def millis(timestamp):
    return datetime.datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp() * 1000


def duration(text):
    m = re.match(r"PT(?:(\d+)M)?([\d.]+)S", text or "")
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0


def main(demo_log, recording):
    gaps = cpu_steal.listed_gaps(open(demo_log).read(), cpu_steal.RUN_LISTS[0]) or []
    printed = subprocess.run(["jfr", "print", "--json", "--events",
                              "jdk.ThreadPark,jdk.JavaMonitorEnter,jdk.JavaMonitorWait,jdk.SafepointBegin",
                              recording], capture_output=True, text=True, check=True).stdout
    events = json.loads(printed)["recording"]["events"]
    for length, at, start, end in gaps:
        print("gap %s ms at +%s s" % (length, at))
        for event in events:
            values = event["values"]
            began, lasted = millis(values["startTime"]), duration(values.get("duration"))
            if began >= end or began + lasted <= start or lasted < 5:
                continue
            on = (values.get("parkedClass") or values.get("monitorClass") or {}).get("name", "")
            if any(idle in on for idle in IDLE):
                continue
            frames = (values.get("stackTrace") or {}).get("frames") or []
            stack = " < ".join("%s.%s" % (f["method"]["type"]["name"].split("/")[-1], f["method"]["name"])
                               for f in frames[:6])
            owner = (values.get("previousOwner") or {}).get("javaName")
            print("  %s %s +%.0f ms for %.0f ms%s%s: %s" % (
                event["type"], (values.get("eventThread") or {}).get("javaName"), began - start, lasted,
                " on " + on if on else "", " held by " + owner if owner else "", stack))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
