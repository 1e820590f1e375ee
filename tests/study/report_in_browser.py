#!/usr/bin/python3
# study::Report in a real browser: trains mnist_mlp for two short epochs with --log, --diagnostics,
# --report and --plot, opens the page in headless Chromium (Debian's chromium + chromium-driver,
# driven by python3-selenium) and checks that it loads without a console error or a fetch, that
# every picture is drawn, and that the numbers it shows equal the CSVs' and the printed accuracy.
#   report_in_browser.py MNIST_MLP OUTDIR
import csv
import math
import os
import re
import subprocess
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def fail(message):
    print("report_in_browser: FAILED: " + message)
    sys.exit(1)


def same(shown, stored):
    """A number the page shows with 6 significant digits against the CSV's 9."""
    return math.isclose(float(shown), float(stored), rel_tol=6e-6, abs_tol=1e-12)


mnist_mlp, outdir = sys.argv[1], os.path.abspath(sys.argv[2])
os.makedirs(outdir, exist_ok=True)
page, log, diag = (os.path.join(outdir, f) for f in ("report.html", "report.csv", "report-diag.csv"))
plots = os.path.join(outdir, "report-plots")
run = subprocess.run([mnist_mlp, "--epochs", "2", "--validation", "58000", "--log", log,
                      "--diagnostics", diag, "--diagnostics-every", "8", "--report", page,
                      "--plot", plots], capture_output=True, text=True)
if run.returncode != 0:
    fail("mnist_mlp exited %d:\n%s%s" % (run.returncode, run.stdout, run.stderr))
printed = re.search(r"^test accuracy ([0-9.]+)% \((\d+) images\)", run.stdout, re.M)
if not printed:
    fail("mnist_mlp printed no test accuracy:\n" + run.stdout)
for name in ("loss", "accuracy", "gradient_norms"):
    for ext in (".png", ".svg"):
        if os.path.getsize(os.path.join(plots, name + ext)) < 1000:
            fail("--plot wrote a nearly empty %s%s" % (name, ext))

with open(log) as f:
    epochs = list(csv.reader(f))
with open(diag) as f:
    samples = [row for row in csv.DictReader(f) if row["kind"] == "param"]

options = Options()
options.binary_location = "/usr/bin/chromium"
for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,1000"):
    options.add_argument(flag)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    driver.get("file://" + page)
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    if errors:
        fail("the console says %s" % errors)
    fetched = driver.execute_script("return performance.getEntriesByType('resource').length")
    if fetched != 0:
        fail("the page loaded %d resources" % fetched)

    # The three curves, each an SVG gnuplot drew, laid out at its size with its lines.
    charts = driver.find_elements(By.CSS_SELECTOR, "div.figure > svg")
    if len(charts) != 3:
        fail("%d charts on the page, expected loss, accuracy and gradient norms" % len(charts))
    for svg in charts:
        if svg.size["width"] < 400 or svg.size["height"] < 250:
            fail("a chart is laid out at %s" % svg.size)
        if len(svg.find_elements(By.CSS_SELECTOR, "path")) < 5:
            fail("a chart has no lines")
    images = driver.find_elements(By.CSS_SELECTOR, "div.grid figure")
    if len(images) != 16:
        fail("%d misclassified images shown, expected 16" % len(images))
    for figure in images:
        svg = figure.find_element(By.TAG_NAME, "svg")
        if svg.size["width"] < 20 or len(svg.find_elements(By.TAG_NAME, "rect")) < 10:
            fail("image %r is not drawn" % figure.text)
        if not re.match(r"#\d+: .+, taken for .+ \(p=[01]\.\d{3}\)$", figure.text):
            fail("image caption %r" % figure.text)

    def table(caption):
        t = driver.find_element(By.CSS_SELECTOR, 'table[data-caption="%s"]' % caption)
        head = [th.text for th in t.find_elements(By.CSS_SELECTOR, "tr th")]
        rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
                for tr in t.find_elements(By.TAG_NAME, "tr")]
        return head, [r for r in rows if r]

    # Per epoch: the same columns and, cell by cell, the same numbers as the --log CSV.
    head, rows = table("Per epoch (the --log CSV's rows)")
    if head != epochs[0] or len(rows) != len(epochs) - 1:
        fail("per-epoch table %s with %d rows; the CSV has %s with %d" % (head, len(rows),
                                                                         epochs[0], len(epochs) - 1))
    for shown, stored in zip(rows, epochs[1:]):
        if not all(map(same, shown, stored)):
            fail("per-epoch row %s, the CSV's is %s" % (shown, stored))
    # Gradient norms: one column per parameter, the --diagnostics CSV's grad_norm in order.
    head, rows = table("Gradient norm per parameter (the --diagnostics samples)")
    for j, name in enumerate(head[1:], start=1):
        stored = [s["grad_norm"] for s in samples if s["name"] == name]
        shown = [r[j] for r in rows]
        if len(stored) < 2 or len(shown) != len(stored) or not all(map(same, shown, stored)):
            fail("gradient norms of %s: page %s, CSV %s" % (name, shown, stored))
    # The confusion matrix: every test image counted, the accuracy mnist_mlp printed.
    cells = driver.find_elements(By.CSS_SELECTOR, "#confusion td[style]")
    total = sum(int(td.text) for td in cells)
    if len(cells) != 100 or total != int(printed.group(2)):
        fail("the confusion matrix has %d cells counting %d images" % (len(cells), total))
    # In percent, as the console prints it: the same text.
    accuracy = driver.find_element(By.ID, "accuracy").text
    if accuracy != printed.group(1) + "%":
        fail("the page shows accuracy %s, mnist_mlp printed %s%%" % (accuracy, printed.group(1)))

    driver.set_window_size(1200, driver.execute_script("return document.body.scrollHeight") + 100)
    screenshot = os.path.join(outdir, "report.png")
    driver.save_screenshot(screenshot)
finally:
    driver.quit()
print("report_in_browser: %d epochs, %d gradient samples and 16 images shown as the run wrote "
      "them; screenshot %s" % (len(epochs) - 1, len(rows), screenshot))
