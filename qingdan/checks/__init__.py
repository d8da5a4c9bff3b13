"""清单体检: checks that find what is wrong with a list.

Each check is a small class in ``qingdan/checks/rules/`` with a stable id; ``services.run_checks``
runs them all over a stored version and keeps the findings, and ``engine.check_record`` runs them
over a plain ListRecord without the database.
"""
