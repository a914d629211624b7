# The newsmon Airflow image: the official Airflow base plus the locked dependencies and the project.
FROM apache/airflow:3.3.2-python3.11

USER airflow
COPY --chown=airflow:root requirements.lock /opt/newsmon/requirements.lock
RUN pip install --no-cache-dir -r /opt/newsmon/requirements.lock

COPY --chown=airflow:root pyproject.toml README.md /opt/newsmon/
COPY --chown=airflow:root core /opt/newsmon/core
COPY --chown=airflow:root newsmon /opt/newsmon/newsmon
COPY --chown=airflow:root extract /opt/newsmon/extract
COPY --chown=airflow:root transform /opt/newsmon/transform
COPY --chown=airflow:root warehouse /opt/newsmon/warehouse
COPY --chown=airflow:root sample_site /opt/newsmon/sample_site
COPY --chown=airflow:root dags /opt/newsmon/dags
COPY --chown=airflow:root dashboard /opt/newsmon/dashboard
COPY --chown=airflow:root config/compose.toml /opt/newsmon/config/newsmon.toml
RUN pip install --no-cache-dir --no-deps /opt/newsmon

ENV NEWSMON_CONFIG=/opt/newsmon/config/newsmon.toml \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/newsmon/dags \
    PYTHONPATH=/opt/newsmon
WORKDIR /opt/newsmon
