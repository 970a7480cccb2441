from django.urls import path

from api.accounts import views

urlpatterns = [
    path("auth/register", views.RegisterView.as_view(), name="auth-register"),
    path("auth/token", views.TokenCreateView.as_view(), name="auth-token"),
    path("auth/token/refresh", views.TokenRefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout", views.LogoutView.as_view(), name="auth-logout"),
    path("me", views.MeView.as_view(), name="me"),
    path("me/password", views.PasswordChangeView.as_view(), name="me-password"),
    path("me/sessions", views.SessionListView.as_view(), name="me-sessions"),
    path("me/sessions/<uuid:session_id>", views.SessionDetailView.as_view(), name="me-session"),
]
