#!/usr/bin/python3
# The HTML stepper in a real browser: runs examples/backprop_walkthrough, opens the page it wrote in
# headless Chromium (Debian's chromium + chromium-driver, driven by python3-selenium), presses Next
# through every step and checks what the page shows against what the walkthrough printed for the
# same step; then the arrow keys and Previous. Saves a screenshot and prints its path.
#   html_in_browser.py WALKTHROUGH OUTDIR
import math
import os
import re
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


def fail(message):
    print("html_in_browser: FAILED: " + message)
    sys.exit(1)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-7)


def bracket_value(text):
    """The one value of a scalar gradient description, "() norm 0.5 = [0.5]"."""
    m = re.search(r"= \[([^\],]+)\]$", text.strip())
    if not m:
        fail("no [value] in the shown gradient %r" % text)
    return float(m.group(1))


walkthrough, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
prefix = os.path.join(os.path.abspath(outdir), "stepper")
printed = subprocess.run([walkthrough, "--output", prefix], capture_output=True, text=True,
                         check=True).stdout

# The walkthrough's own account of each step: "#k Op  name", "dL/d out = v", "... = v" per input.
steps = []
for line in printed.splitlines():
    if m := re.match(r"#(\d+) (\w+)\s", line):
        steps.append({"index": int(m.group(1)), "op": m.group(2), "sent": []})
    elif steps and (m := re.match(r"\s+dL/d out = (\S+)$", line)):
        steps[-1]["in"] = float(m.group(1))
    elif steps and (m := re.match(r"\s+to .*chain rule: .* = (\S+)$", line)):
        steps[-1]["sent"].append(float(m.group(1)))
    elif m := re.match(r"gradients: do/dx1 = (\S+), do/dw1 = (\S+),", line):
        dw1 = float(m.group(2))
if len(steps) < 5:
    fail("the walkthrough printed %d steps:\n%s" % (len(steps), printed))

options = Options()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
    options.add_argument(flag)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get("file://" + prefix + ".html")
    text = lambda css: driver.find_element(By.CSS_SELECTOR, css).text
    if text("#counter") != "step 1 of %d" % len(steps):
        fail("the page counts %r, the walkthrough printed %d steps" % (text("#counter"), len(steps)))
    # Self-contained: the page fetched nothing (no script, style or image from anywhere).
    fetched = driver.execute_script("return performance.getEntriesByType('resource').length")
    if fetched != 0:
        fail("the page loaded %d resources" % fetched)

    seen_w1 = False
    panel_at = set()  # where the step panel sits, per step: it must not move as its text changes
    for k, step in enumerate(steps):
        rect = driver.find_element(By.ID, "panel").rect
        panel_at.add((round(rect["x"]), round(rect["y"])))
        title = text("#step-title")
        if not title.startswith("#%d %s" % (step["index"], step["op"])):
            fail("step %d shows %r, the engine ran #%d %s" % (k + 1, title, step["index"],
                                                              step["op"]))
        shown_in = bracket_value(text("#grad-in"))
        if not close(shown_in, step["in"]):
            fail("step %d (%s) shows dL/d out = %g, descent passed %g" % (k + 1, title, shown_in,
                                                                       step["in"]))
        outs = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#grad-outs li")]
        shown_out = [bracket_value(t) for t in outs if "[" in t]
        if len(shown_out) != len(step["sent"]) or not all(map(close, shown_out, step["sent"])):
            fail("step %d (%s) shows gradients sent %s, descent sent %s" % (k + 1, title, outs,
                                                                           step["sent"]))
        running = driver.find_elements(By.CSS_SELECTOR, "#graph g.node.running")
        if len(running) != 1:
            fail("step %d highlights %d nodes" % (k + 1, len(running)))
        if "(w1)" in title:  # w1's leaf: the gradient arriving is its .grad, do/dw1
            seen_w1 = True
            if not close(shown_in, dw1):
                fail("the page shows do/dw1 = %g, descent computed %g" % (shown_in, dw1))
        if step["op"] == "MulBackward":  # the last product: its edges to x1 and w1 lit
            driver.save_screenshot(os.path.join(outdir, "html_stepper.png"))
        if k + 1 < len(steps):
            driver.find_element(By.ID, "next").click()
    if not seen_w1:
        fail("no step of the page is w1's leaf")
    if len(panel_at) != 1:
        fail("the step panel moves between steps: at %s" % sorted(panel_at))
    if driver.find_element(By.ID, "next").is_enabled():
        fail("Next is still enabled on the last step")

    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_LEFT)
    if text("#counter") != "step %d of %d" % (len(steps) - 1, len(steps)):
        fail("the left arrow key shows %r" % text("#counter"))
    body.send_keys(Keys.ARROW_RIGHT)
    if text("#counter") != "step %d of %d" % (len(steps), len(steps)):
        fail("the right arrow key shows %r" % text("#counter"))
    driver.find_element(By.ID, "prev").click()
    if text("#counter") != "step %d of %d" % (len(steps) - 1, len(steps)):
        fail("Previous shows %r" % text("#counter"))
finally:
    driver.quit()
screenshot = os.path.abspath(os.path.join(outdir, "html_stepper.png"))
print("html_in_browser: %d steps shown as descent ran them; screenshot %s" % (len(steps),
                                                                             screenshot))
