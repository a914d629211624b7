"""The newsmon dashboard (Streamlit), reading the warehouse's published read-only snapshot."""
