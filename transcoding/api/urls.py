from django.urls import path

from transcoding.api import views

urlpatterns = [
    path("upload/url", views.UploadUrlView.as_view(), name="api-upload-url"),
    path("upload/complete", views.UploadCompleteView.as_view(), name="api-upload-complete"),
    path("upload/<uuid:upload_id>", views.UploadStatusView.as_view(), name="api-upload"),
    path("upload/<uuid:upload_id>/parts/<int:number>", views.UploadPartView.as_view(), name="api-upload-part"),
    path("upload/<uuid:upload_id>/parts/<int:number>/url", views.UploadPartUrlView.as_view(),
         name="api-upload-part-url"),
    path("jobs", views.JobListCreateView.as_view(), name="api-jobs"),
    path("jobs/stats/queue", views.QueueStatsView.as_view(), name="api-jobs-stats"),
    path("jobs/film/<int:film_id>", views.JobsForFilmView.as_view(), name="api-jobs-film"),
    path("jobs/status/<str:status>", views.JobsByStatusView.as_view(), name="api-jobs-status"),
    path("jobs/<int:job_id>", views.JobDetailView.as_view(), name="api-job"),
    path("jobs/<int:job_id>/progress", views.JobProgressView.as_view(), name="api-job-progress"),
    path("jobs/<int:job_id>/retry", views.JobRetryView.as_view(), name="api-job-retry"),
    path("jobs/<int:job_id>/poster", views.JobPosterView.as_view(), name="api-job-poster"),
    path("webhooks/akash", views.AkashWebhookView.as_view(), name="api-webhook-akash"),
]
