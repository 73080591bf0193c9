# Paasport: `make run` serves the demo on SQLite; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages the tests and PDF export need: a browser for Playwright and
# kaleido, a CJK font that embeds as TrueType, pdftoppm/pdftotext, gettext.
APT_PACKAGES := chromium fonts-wqy-microhei poppler-utils gettext

.PHONY: run test install install-dev system-deps engine migrate demo messages clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages:$$missing"; \
	    echo "Install them with: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

# Compiles the levelling's genetic search into numba's cache once (about 10 s),
# so no levelling run pays for it inside its time limit; then about 0.2 s.
engine: install
	$(PY) -c "from schedule.engine.genetic import warm_up; warm_up()"

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

demo: migrate
	DEMO_BASE_URL=http://$(HOST):$(PORT) DEBUG=true $(PY) manage.py load_demo

run: demo engine
	DEBUG=true WEBHOOK_ALLOW_PRIVATE_HOSTS=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev system-deps engine
	$(VENV)/bin/pytest

messages: install-dev
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=tests --ignore=bench
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
