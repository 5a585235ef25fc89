#!/bin/bash
# full-restart.sh — runbook §4 (shared/runbook-service-restart.md), adapted to the fixture's supervisor:
# `sudo systemctl stop|start X` → `sudo -n /usr/bin/supervisorctl stop|start X`,
# `sudo systemctl status X --no-pager` → `sudo -n /usr/bin/supervisorctl status X`.
# Everything else (the order, the echoes, the ps check and every sleep) is the runbook's.
# The restart-stack benchmark runs it as user ops over one SSH connection (`bash -s`).

echo "Starting full stack restart..."

# 1. Stop services in reverse dependency order
echo "Stopping Nginx..."
sudo -n /usr/bin/supervisorctl stop nginx

echo "Stopping Odoo..."
sudo -n /usr/bin/supervisorctl stop odoo

echo "Stopping PostgreSQL..."
sudo -n /usr/bin/supervisorctl stop postgresql

# Wait for clean shutdown
sleep 5

# 2. Verify all stopped
ps aux | grep -E "nginx|odoo|postgres" | grep -v grep

# 3. Start services in dependency order
echo "Starting PostgreSQL..."
sudo -n /usr/bin/supervisorctl start postgresql
sleep 5

echo "Starting Odoo..."
sudo -n /usr/bin/supervisorctl start odoo
sleep 10

echo "Starting Nginx..."
sudo -n /usr/bin/supervisorctl start nginx
sleep 5

# 4. Verify all services
echo "Verifying services..."
sudo -n /usr/bin/supervisorctl status postgresql
sudo -n /usr/bin/supervisorctl status odoo
sudo -n /usr/bin/supervisorctl status nginx

echo "Full restart complete!"
